#include "agent/service/gateway_manager.h"

#include <gtest/gtest.h>

#include "tests/unit/service/store_fixture.h"
#include "tests/unit/store/test_audit.h"

namespace xmppfed::service {
namespace {

class GatewayManagerTest : public testing::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    manager_ = std::make_unique<GatewayManager>(store_.get(), trail_.get());
  }
  std::unique_ptr<GatewayManager> manager_;
};

TEST_F(GatewayManagerTest, DefaultsUntilSet) {
  absl::StatusOr<v1::GatewayConfig> config = manager_->Get();
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->connection_limit(), 1000u);
  EXPECT_EQ(config->partner_connection_limit(), 20u);
  EXPECT_EQ(config->keep_alive_interval(), 300u);
  EXPECT_EQ(config->stream_establishment_timeout(), 60u);
  EXPECT_EQ(config->stream_inactivity_timeout(), 600u);
  EXPECT_EQ(config->max_stanza_size(), 262144u);
  EXPECT_FALSE(config->enable_logging_all_message_bodies());
}

// A config stored by an agent that did not know the flow-control settings
// and the component limit: they read as their defaults, and a change of
// another setting keeps them.
TEST_F(GatewayManagerTest, SettingsNewerThanTheStoredConfigReadAsDefaults) {
  v1::GatewayConfig old;
  old.set_connection_limit(500);
  old.set_partner_connection_limit(10);
  old.set_keep_alive_interval(300);
  old.set_stream_establishment_timeout(60);
  old.set_stream_inactivity_timeout(600);
  old.set_max_stanza_size(262144);
  ASSERT_TRUE(store_
                  ->PutGatewayConfig(old, std::nullopt, std::nullopt,
                                     testing::TestAudit())
                  .ok());
  absl::StatusOr<v1::GatewayConfig> config = manager_->Get();
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->connection_limit(), 500u);
  EXPECT_EQ(config->stream_output_high_watermark(), 1048576u);
  EXPECT_EQ(config->stream_output_low_watermark(), 262144u);
  EXPECT_EQ(config->component_connection_limit(), 100u);

  v1::SetGatewayConfigRequest request;
  request.mutable_fields()->set_component_connection_limit(5);
  absl::StatusOr<v1::GatewayConfigChange> change =
      manager_->Set(request, actor_);
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_EQ(change->config().component_connection_limit(), 5u);
  EXPECT_EQ(change->config().stream_output_high_watermark(), 1048576u);
}

TEST_F(GatewayManagerTest, SetPersistsOnlyGivenFields) {
  v1::SetGatewayConfigRequest request;
  request.mutable_fields()->set_max_stanza_size(65536);
  absl::StatusOr<v1::GatewayConfigChange> change =
      manager_->Set(request, actor_);
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_TRUE(change->applied());
  EXPECT_EQ(change->before().max_stanza_size(), 262144u);
  absl::StatusOr<v1::GatewayConfig> config = manager_->Get();
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->max_stanza_size(), 65536u);
  EXPECT_EQ(config->connection_limit(), 1000u);
  EXPECT_EQ(config->revision(), change->config().revision());
}

TEST_F(GatewayManagerTest, WhatIfWritesNothing) {
  v1::SetGatewayConfigRequest request;
  request.mutable_fields()->set_connection_limit(50);
  request.set_what_if(true);
  absl::StatusOr<v1::GatewayConfigChange> change =
      manager_->Set(request, actor_);
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_FALSE(change->applied());
  EXPECT_EQ(change->config().connection_limit(), 50u);
  EXPECT_EQ(manager_->Get()->connection_limit(), 1000u);
}

TEST_F(GatewayManagerTest, PassphraseIsStoredButNeverReturned) {
  absl::StatusOr<std::string> generated = store_->GetDialbackPassphrase();
  ASSERT_TRUE(generated.ok());
  v1::SetGatewayConfigRequest request;
  request.mutable_fields()->set_dialback_passphrase(
      "correct horse battery staple");
  absl::StatusOr<v1::GatewayConfigChange> change =
      manager_->Set(request, actor_);
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_TRUE(change->applied());
  EXPECT_TRUE(change->dialback_passphrase_changed());
  EXPECT_EQ(change->DebugString().find("horse"), std::string::npos);
  EXPECT_EQ(*store_->GetDialbackPassphrase(), "correct horse battery staple");
}

TEST_F(GatewayManagerTest, TheAuditEntryHasTheChangesAndNeverThePassphrase) {
  const std::string secret = "correct horse battery staple";
  v1::SetGatewayConfigRequest request;
  request.mutable_fields()->set_max_stanza_size(300000);
  request.mutable_fields()->set_dialback_passphrase(secret);
  ASSERT_TRUE(manager_->Set(request, actor_).ok());
  std::vector<v1::AuditEntry> log = AuditLog();
  ASSERT_EQ(log.size(), 1u);
  ASSERT_EQ(log[0].changes_size(), 2);
  EXPECT_EQ(log[0].changes(0).field(), "maxStanzaSize");
  EXPECT_EQ(log[0].changes(0).old_value(), "262144");
  EXPECT_EQ(log[0].changes(0).new_value(), "300000");
  EXPECT_EQ(log[0].changes(1).field(), "dialbackPassphrase");
  EXPECT_EQ(log[0].changes(1).old_value(), "(changed)");
  EXPECT_EQ(log[0].changes(1).new_value(), "(changed)");
  EXPECT_EQ(log[0].SerializeAsString().find(secret), std::string::npos);
  // A refused attempt is recorded, its passphrase no more than the rest.
  request.mutable_fields()->set_max_stanza_size(1);
  ASSERT_FALSE(manager_->Set(request, actor_).ok());
  log = AuditLog();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].result(), v1::AUDIT_RESULT_REFUSED);
  EXPECT_EQ(log[0].SerializeAsString().find(secret), std::string::npos);
}

TEST_F(GatewayManagerTest, AStoredConfigWithoutRetentionReadsTheDefault) {
  v1::GatewayConfig old;  // as an agent before auditRetentionDays stored it
  old.set_connection_limit(1000);
  old.set_partner_connection_limit(20);
  ASSERT_TRUE(store_
                  ->PutGatewayConfig(old, std::nullopt, std::nullopt,
                                     trail_->Begin(actor_))
                  .ok());
  EXPECT_EQ(manager_->Get()->audit_retention_days(), 365u);
}

TEST_F(GatewayManagerTest, InvalidValueIsRefusedAndNothingChanges) {
  v1::SetGatewayConfigRequest request;
  request.mutable_fields()->set_max_stanza_size(100);
  request.mutable_fields()->set_connection_limit(5);
  absl::StatusOr<v1::GatewayConfigChange> change =
      manager_->Set(request, actor_);
  ASSERT_FALSE(change.ok());
  EXPECT_EQ(change.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(change.status().message().find("maxStanzaSize"), std::string::npos);
  EXPECT_EQ(manager_->Get()->connection_limit(), 1000u);
}

}  // namespace
}  // namespace xmppfed::service
