// The gateway configuration and the dialback passphrase.
#include <string>

#include "absl/strings/ascii.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/unit/store/store_fixture.h"
#include "tests/unit/store/test_audit.h"

namespace xmppfed::store::testing {
namespace {

using ::google::protobuf::util::MessageDifferencer;

v1::GatewayConfig MakeConfig(uint32_t connection_limit) {
  v1::GatewayConfig config;
  config.set_connection_limit(connection_limit);
  config.set_partner_connection_limit(21);
  config.set_keep_alive_interval(301);
  config.set_stream_establishment_timeout(61);
  config.set_stream_inactivity_timeout(601);
  config.set_max_stanza_size(262145);
  config.set_enable_logging_all_message_bodies(true);
  return config;
}

v1::GatewayConfig Writable(v1::GatewayConfig config) {
  config.clear_revision();
  config.clear_modified_at();
  return config;
}

TEST_P(StoreTest, GatewayConfigIsAbsentUntilStored) {
  Store& store = Open();
  absl::StatusOr<std::optional<v1::GatewayConfig>> config =
      store.GetGatewayConfig();
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_FALSE(config->has_value());
}

TEST_P(StoreTest, PutGatewayConfigRoundTripsAndCountsRevisionsFromOne) {
  Store& store = Open();
  absl::StatusOr<v1::GatewayConfig> first =
      store.PutGatewayConfig(MakeConfig(1000), std::nullopt, std::nullopt,
                             ::xmppfed::testing::TestAudit());
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<v1::GatewayConfig> second = store.PutGatewayConfig(
      MakeConfig(2000), std::nullopt, 1, ::xmppfed::testing::TestAudit());
  ASSERT_TRUE(second.ok()) << second.status();
  absl::StatusOr<std::optional<v1::GatewayConfig>> got =
      store.GetGatewayConfig();
  ASSERT_TRUE(got.ok() && got->has_value());

  EXPECT_EQ(first->revision(), 1u);
  EXPECT_EQ(second->revision(), 2u);
  EXPECT_TRUE(MessageDifferencer::Equals(Writable(**got), MakeConfig(2000)));
  EXPECT_TRUE(MessageDifferencer::Equals(**got, *second));
  EXPECT_GT(Micros((*got)->modified_at()), 0);
  EXPECT_GE(Micros(second->modified_at()), Micros(first->modified_at()));
}

TEST_P(StoreTest, PutGatewayConfigWithStaleRevisionIsRefusedAndKeepsAll) {
  Store& store = Open();
  absl::StatusOr<std::string> passphrase = store.GetDialbackPassphrase();
  ASSERT_TRUE(passphrase.ok());
  ASSERT_TRUE(store
                  .PutGatewayConfig(MakeConfig(1000), std::nullopt,
                                    std::nullopt,
                                    ::xmppfed::testing::TestAudit())
                  .ok());

  absl::StatusOr<v1::GatewayConfig> stale = store.PutGatewayConfig(
      MakeConfig(5), "new passphrase", 0, ::xmppfed::testing::TestAudit());

  ASSERT_EQ(stale.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Detail(stale.status()).field(), "revision");
  EXPECT_EQ(Detail(stale.status()).value(), "0");
  EXPECT_EQ((*store.GetGatewayConfig())->connection_limit(), 1000u);
  EXPECT_EQ(*store.GetDialbackPassphrase(), *passphrase);
}

TEST_P(StoreTest, ExpectedRevisionZeroMeansNothingStoredYet) {
  Store& store = Open();
  absl::StatusOr<v1::GatewayConfig> wrong = store.PutGatewayConfig(
      MakeConfig(1000), std::nullopt, 3, ::xmppfed::testing::TestAudit());
  absl::StatusOr<v1::GatewayConfig> right = store.PutGatewayConfig(
      MakeConfig(1000), std::nullopt, 0, ::xmppfed::testing::TestAudit());

  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(right.ok()) << right.status();
  EXPECT_EQ(right->revision(), 1u);
}

TEST_P(StoreTest, DialbackPassphraseIsGeneratedOnFirstOpen) {
  Store& store = Open();
  absl::StatusOr<std::string> passphrase = store.GetDialbackPassphrase();
  ASSERT_TRUE(passphrase.ok()) << passphrase.status();

  // 32 random bytes, hex-encoded.
  EXPECT_EQ(passphrase->size(), 64u);
  for (char c : *passphrase) EXPECT_TRUE(absl::ascii_isxdigit(c)) << c;
  EXPECT_EQ(*store.GetDialbackPassphrase(), *passphrase);
}

TEST_P(StoreTest, DialbackPassphrasesOfTwoStoresDiffer) {
  Store& store = Open();
  std::string first = *store.GetDialbackPassphrase();
  absl::StatusOr<std::unique_ptr<Store>> other = OpenStore(OtherUri());
  ASSERT_TRUE(other.ok()) << other.status();

  EXPECT_NE(*(*other)->GetDialbackPassphrase(), first);
}

TEST_P(StoreTest, DialbackPassphraseIsStableAcrossReopen) {
  std::string first = *Open().GetDialbackPassphrase();
  store_.reset();
  EXPECT_EQ(*Open().GetDialbackPassphrase(), first);
}

TEST_P(StoreTest, PutGatewayConfigReplacesThePassphraseOnlyWhenGiven) {
  Store& store = Open();
  ASSERT_TRUE(store
                  .PutGatewayConfig(MakeConfig(1000), "chosen", std::nullopt,
                                    ::xmppfed::testing::TestAudit())
                  .ok());
  EXPECT_EQ(*store.GetDialbackPassphrase(), "chosen");

  ASSERT_TRUE(store
                  .PutGatewayConfig(MakeConfig(2000), std::nullopt,
                                    std::nullopt,
                                    ::xmppfed::testing::TestAudit())
                  .ok());
  EXPECT_EQ(*store.GetDialbackPassphrase(), "chosen");

  store_.reset();
  EXPECT_EQ(*Open().GetDialbackPassphrase(), "chosen");
}

}  // namespace
}  // namespace xmppfed::store::testing
