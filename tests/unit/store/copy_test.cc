// CopyStore (xmppfed-agent --copy-store): SQLite into etcd and back with
// everything preserved, a copy run again, and the refusals.
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "agent/store/store_copy.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/unit/store/store_fixture.h"
#include "tests/unit/store/test_audit.h"

namespace xmppfed::store::testing {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::HasSubstr;

std::unique_ptr<Store> MustOpen(const std::string& uri) {
  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(uri);
  EXPECT_TRUE(store.ok()) << uri << ": " << store.status();
  return store.ok() ? *std::move(store) : nullptr;
}

std::vector<v1::Partner> AllPartners(Store& store) {
  std::vector<v1::Partner> partners;
  EXPECT_TRUE(store
                  .ForEachPartner("",
                                  [&](const v1::Partner& partner) {
                                    partners.push_back(partner);
                                    return true;
                                  })
                  .ok());
  return partners;
}

std::set<std::pair<std::string, std::string>> AllInvitations(Store& store) {
  std::set<std::pair<std::string, std::string>> invitations;
  EXPECT_TRUE(store
                  .ForEachInvitation([&](const Invitation& invitation) {
                    invitations.emplace(invitation.local_jid,
                                        invitation.remote_jid);
                    return true;
                  })
                  .ok());
  return invitations;
}

// Everything a copy must carry over, equal in both stores.
void ExpectSameContent(Store& a, Store& b) {
  std::vector<v1::Partner> left = AllPartners(a);
  std::vector<v1::Partner> right = AllPartners(b);
  ASSERT_EQ(left.size(), right.size());
  for (size_t i = 0; i < left.size(); ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(left[i], right[i]))
        << left[i].DebugString() << "\nvs\n"
        << right[i].DebugString();
  }
  absl::StatusOr<std::optional<v1::GatewayConfig>> left_config =
      a.GetGatewayConfig();
  absl::StatusOr<std::optional<v1::GatewayConfig>> right_config =
      b.GetGatewayConfig();
  ASSERT_TRUE(left_config.ok() && right_config.ok());
  ASSERT_EQ(left_config->has_value(), right_config->has_value());
  if (left_config->has_value()) {
    EXPECT_TRUE(MessageDifferencer::Equals(**left_config, **right_config));
  }
  EXPECT_EQ(*a.GetDialbackPassphrase(), *b.GetDialbackPassphrase());
  EXPECT_EQ(AllInvitations(a), AllInvitations(b));
}

class CopyTest : public SqliteStoreTest {
 protected:
  // A source with a bit of everything, bookkeeping that is not 1 and now.
  void Fill(Store& store) {
    ASSERT_TRUE(store
                    .CreatePartner(MakePartner("a.com", {"a.net", "a.org"}),
                                   ::xmppfed::testing::TestAudit())
                    .ok());
    ASSERT_TRUE(store
                    .CreatePartner(MakePartner("b.com"),
                                   ::xmppfed::testing::TestAudit())
                    .ok());
    v1::Partner changed = MakePartner("b.com", {"b.net"});
    changed.set_description("changed twice");
    ASSERT_TRUE(
        store.UpdatePartner(changed, 1, ::xmppfed::testing::TestAudit()).ok());
    ASSERT_TRUE(
        store.UpdatePartner(changed, 2, ::xmppfed::testing::TestAudit()).ok());
    v1::GatewayConfig config;
    config.set_connection_limit(77);
    config.set_max_stanza_size(100000);
    ASSERT_TRUE(store
                    .PutGatewayConfig(config, "shared secret", std::nullopt,
                                      ::xmppfed::testing::TestAudit())
                    .ok());
    ASSERT_TRUE(store
                    .RecordInvitations({{"alice@example.test", "bob@a.com"},
                                        {"carol@example.test", "dave@b.com"}})
                    .ok());
  }
};

TEST_F(CopyTest, SqliteIntoEtcdAndBackKeepsEverything) {
  Store& source = Open();
  Fill(source);
  std::unique_ptr<Store> etcd = MustOpen(FreshEtcdStoreUri());
  ASSERT_NE(etcd, nullptr);

  absl::StatusOr<CopyReport> there = CopyStore(source, *etcd);
  ASSERT_TRUE(there.ok()) << there.status();
  EXPECT_EQ(there->partners_copied, 2u);
  EXPECT_EQ(there->partners_present, 0u);
  EXPECT_EQ(there->invitations, 2u);
  EXPECT_TRUE(there->gateway_settings);
  ExpectSameContent(source, *etcd);
  EXPECT_EQ((*etcd->GetPartner("b.com"))->revision(), 3u);
  EXPECT_EQ(*etcd->FindDomainOwner("a.org"), "a.com");
  // The audit log stays with the source (store_copy.h).
  int entries = 0;
  ASSERT_TRUE(etcd->ForEachAuditEntry({},
                                      [&](const v1::AuditEntry&) {
                                        ++entries;
                                        return true;
                                      })
                  .ok());
  EXPECT_EQ(entries, 0);

  std::unique_ptr<Store> back = MustOpen(OtherUri());
  ASSERT_NE(back, nullptr);
  absl::StatusOr<CopyReport> home = CopyStore(*etcd, *back);
  ASSERT_TRUE(home.ok()) << home.status();
  ExpectSameContent(source, *back);
}

TEST_F(CopyTest, ACopyRunAgainGoesOnWhereItStopped) {
  Store& source = Open();
  Fill(source);
  std::unique_ptr<Store> target = MustOpen(FreshEtcdStoreUri());
  ASSERT_NE(target, nullptr);
  // As if a first run stopped after a.com.
  ASSERT_TRUE(
      target
          ->RunPartnerTransaction(
              [&](PartnerTransaction& txn) -> absl::StatusOr<TransactionEnd> {
                EXPECT_TRUE(
                    txn.RestorePartner(**source.GetPartner("a.com")).ok());
                return TransactionEnd::kCommit;
              })
          .ok());

  absl::StatusOr<CopyReport> copied = CopyStore(source, *target);
  ASSERT_TRUE(copied.ok()) << copied.status();
  EXPECT_EQ(copied->partners_copied, 1u);
  EXPECT_EQ(copied->partners_present, 1u);
  ExpectSameContent(source, *target);
}

TEST_F(CopyTest, ATargetHoldingOtherPartnersIsRefusedBeforeAnyWrite) {
  Store& source = Open();
  Fill(source);
  std::unique_ptr<Store> target = MustOpen(FreshEtcdStoreUri());
  ASSERT_NE(target, nullptr);
  ASSERT_TRUE(target
                  ->CreatePartner(MakePartner("other.com"),
                                  ::xmppfed::testing::TestAudit())
                  .ok());
  std::string passphrase = *target->GetDialbackPassphrase();

  absl::StatusOr<CopyReport> copied = CopyStore(source, *target);
  EXPECT_EQ(copied.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(copied.status().message()),
              HasSubstr("already holds partner other.com"));
  EXPECT_EQ(*target->CountPartners(), 1u);
  EXPECT_EQ(*target->GetDialbackPassphrase(), passphrase);
}

TEST_F(CopyTest, ManyPartnersSpanSeveralEtcdTransactions) {
  Store& source = Open();
  ASSERT_TRUE(
      source
          .RunPartnerTransaction(
              [](PartnerTransaction& txn) -> absl::StatusOr<TransactionEnd> {
                for (int i = 0; i < 300; ++i) {
                  std::string id = "p" + std::to_string(i) + ".example";
                  EXPECT_TRUE(
                      txn.CreatePartner(MakePartner(id, {"x." + id})).ok());
                }
                return TransactionEnd::kCommit;
              })
          .ok());
  std::unique_ptr<Store> target = MustOpen(FreshEtcdStoreUri());
  ASSERT_NE(target, nullptr);

  absl::StatusOr<CopyReport> copied = CopyStore(source, *target);
  ASSERT_TRUE(copied.ok()) << copied.status();
  EXPECT_EQ(copied->partners_copied, 300u);
  EXPECT_EQ(*target->CountPartners(), 300u);
  EXPECT_EQ(*target->FindDomainOwner("x.p299.example"), "p299.example");
}

}  // namespace
}  // namespace xmppfed::store::testing
