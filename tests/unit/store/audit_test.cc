// The store's audit log, on both backends: entries written with their
// change (or not at all), appended on their own, listed newest first with
// every filter, replaced by id inside a transaction, and pruned by age in
// batches.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "tests/unit/store/store_fixture.h"
#include "tests/unit/store/test_audit.h"

// Filters are written as designated initializers naming only what they
// narrow; GCC 12 warns about the members left at their defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace xmppfed::store::testing {
namespace {

using google::protobuf::util::TimeUtil;
using ::testing::ElementsAre;

v1::AuditEntry Entry(const std::string& user, uint32_t uid,
                     const std::string& verb, v1::AuditResult result,
                     std::vector<std::string> identities,
                     absl::Time time = absl::Now()) {
  v1::AuditEntry entry;
  *entry.mutable_time() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
  entry.set_node("edge1");
  entry.mutable_caller()->set_uid(uid);
  entry.mutable_caller()->set_user(user);
  entry.mutable_caller()->set_pid(4242);
  entry.mutable_caller()->set_role(v1::ROLE_ADMINISTRATOR);
  entry.set_verb(verb);
  for (std::string& identity : identities) entry.add_identities(identity);
  entry.set_result(result);
  return entry;
}

class AuditTest : public StoreTest {
 protected:
  std::vector<v1::AuditEntry> List(const AuditFilter& filter = {}) {
    std::vector<v1::AuditEntry> entries;
    absl::Status listed =
        store_->ForEachAuditEntry(filter, [&](const v1::AuditEntry& entry) {
          entries.push_back(entry);
          return true;
        });
    EXPECT_TRUE(listed.ok()) << listed;
    return entries;
  }

  std::vector<std::string> Verbs(const AuditFilter& filter = {}) {
    std::vector<std::string> verbs;
    for (const v1::AuditEntry& entry : List(filter)) {
      verbs.push_back(entry.verb());
    }
    return verbs;
  }
};

TEST_P(AuditTest, AppendedEntriesComeBackNewestFirstWithIncreasingIds) {
  Store& store = Open();
  v1::AuditEntry first =
      Entry("alice", 1001, "new-partner", v1::AUDIT_RESULT_REFUSED, {"a.com"});
  first.set_error("identity=a.com: is already a partner");
  v1::AuditChange* change = first.add_changes();
  change->set_field("description");
  change->set_new_value("x");
  ASSERT_TRUE(store.AppendAuditEntry(first).ok());
  ASSERT_TRUE(store
                  .AppendAuditEntry(Entry("bob", 1002, "get-partner",
                                          v1::AUDIT_RESULT_DENIED, {}))
                  .ok());
  std::vector<v1::AuditEntry> entries = List();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].verb(), "get-partner");
  EXPECT_GT(entries[0].id(), entries[1].id());
  // Everything comes back as written, with its id.
  v1::AuditEntry expected = first;
  expected.set_id(entries[1].id());
  EXPECT_EQ(entries[1].SerializeAsString(), expected.SerializeAsString());
  // And survives a reopen.
  Open();
  EXPECT_EQ(List().size(), 2u);
}

TEST_P(AuditTest, EveryFilterNarrowsTheList) {
  Store& store = Open();
  absl::Time now = absl::Now();
  ASSERT_TRUE(store
                  .AppendAuditEntry(Entry("alice", 1001, "new-partner",
                                          v1::AUDIT_RESULT_OK, {"a.com"},
                                          now - absl::Hours(48)))
                  .ok());
  ASSERT_TRUE(store
                  .AppendAuditEntry(Entry(
                      "bob", 1002, "set-partner", v1::AUDIT_RESULT_REFUSED,
                      {"a.com", "b.com"}, now - absl::Hours(2)))
                  .ok());
  ASSERT_TRUE(store
                  .AppendAuditEntry(Entry("alice", 1001, "get-agent",
                                          v1::AUDIT_RESULT_DENIED, {}, now))
                  .ok());
  EXPECT_THAT(Verbs({.since = now - absl::Hours(3)}),
              ElementsAre("get-agent", "set-partner"));
  EXPECT_THAT(Verbs({.until = now - absl::Hours(1)}),
              ElementsAre("set-partner", "new-partner"));
  EXPECT_THAT(
      Verbs({.since = now - absl::Hours(3), .until = now - absl::Hours(1)}),
      ElementsAre("set-partner"));
  EXPECT_THAT(Verbs({.identity = "a.com"}),
              ElementsAre("set-partner", "new-partner"));
  EXPECT_THAT(Verbs({.identity = "b.com"}), ElementsAre("set-partner"));
  EXPECT_THAT(Verbs({.identity = "c.com"}), ElementsAre());
  EXPECT_THAT(Verbs({.caller = "alice"}),
              ElementsAre("get-agent", "new-partner"));
  EXPECT_THAT(Verbs({.caller = "1002"}), ElementsAre("set-partner"));
  EXPECT_THAT(Verbs({.verb = "new-partner"}), ElementsAre("new-partner"));
  EXPECT_THAT(Verbs({.result = v1::AUDIT_RESULT_DENIED}),
              ElementsAre("get-agent"));
  EXPECT_THAT(Verbs({.identity = "a.com", .caller = "alice"}),
              ElementsAre("new-partner"));
}

TEST_P(AuditTest, AListingStopsWhenTheVisitorSaysSo) {
  Store& store = Open();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(
        store
            .AppendAuditEntry(Entry("alice", 1001, "v" + std::to_string(i),
                                    v1::AUDIT_RESULT_OK, {}))
            .ok());
  }
  int seen = 0;
  ASSERT_TRUE(store
                  .ForEachAuditEntry(
                      {}, [&](const v1::AuditEntry&) { return ++seen < 2; })
                  .ok());
  EXPECT_EQ(seen, 2);
}

TEST_P(AuditTest, AChangeIsStoredWithItsEntryAndARefusedOneWithout) {
  Store& store = Open();
  v1::AuditEntry created =
      Entry("alice", 1001, "new-partner", v1::AUDIT_RESULT_OK, {"a.com"});
  ASSERT_TRUE(store.CreatePartner(MakePartner("a.com"), created).ok());
  // A domain clash: the partner is refused, and its entry goes with it.
  EXPECT_FALSE(store
                   .CreatePartner(MakePartner("a.com"),
                                  Entry("alice", 1001, "new-partner",
                                        v1::AUDIT_RESULT_OK, {"a.com"}))
                   .ok());
  EXPECT_FALSE(store
                   .UpdatePartner(MakePartner("a.com"), 7,
                                  Entry("bob", 1002, "set-partner",
                                        v1::AUDIT_RESULT_OK, {"a.com"}))
                   .ok());
  ASSERT_TRUE(store
                  .UpdatePartner(MakePartner("a.com"), 1,
                                 Entry("bob", 1002, "set-partner",
                                       v1::AUDIT_RESULT_OK, {"a.com"}))
                  .ok());
  v1::GatewayConfig config;
  config.set_connection_limit(10);
  ASSERT_TRUE(store
                  .PutGatewayConfig(config, std::nullopt, std::nullopt,
                                    Entry("carol", 1003, "set-gateway-config",
                                          v1::AUDIT_RESULT_OK, {}))
                  .ok());
  EXPECT_THAT(Verbs(),
              ElementsAre("set-gateway-config", "set-partner", "new-partner"));
}

TEST_P(AuditTest, ARemovalIsDescribedFromThePartnersAsTheyWere) {
  Store& store = Open();
  ASSERT_TRUE(
      store.CreatePartner(MakePartner("a.com"), ::xmppfed::testing::TestAudit())
          .ok());
  ASSERT_TRUE(
      store.CreatePartner(MakePartner("b.com"), ::xmppfed::testing::TestAudit())
          .ok());
  std::vector<std::string> described;
  absl::StatusOr<std::vector<v1::Partner>> removed = store.DeletePartners(
      {"a.com", "b.com"}, [&](const std::vector<v1::Partner>& partners) {
        for (const v1::Partner& partner : partners) {
          described.push_back(partner.description());
        }
        return Entry("alice", 1001, "remove-partner", v1::AUDIT_RESULT_OK,
                     {"a.com", "b.com"});
      });
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_THAT(described, ElementsAre("Partner a.com", "Partner b.com"));
  EXPECT_THAT(Verbs({.identity = "b.com"}), ElementsAre("remove-partner"));
  // All or nothing, the entry included.
  EXPECT_FALSE(
      store.DeletePartners({"missing.com"}, ::xmppfed::testing::TestRemoval())
          .ok());
  EXPECT_EQ(List().size(), 3u);
}

TEST_P(AuditTest, ATransactionWritesThenReplacesItsEntryById) {
  Store& store = Open();
  v1::AuditEntry entry =
      Entry("alice", 1001, "import-partners", v1::AUDIT_RESULT_OK, {"a.com"});
  uint64_t id = 0;
  ASSERT_TRUE(
      store
          .RunPartnerTransaction(
              [&](PartnerTransaction& txn) -> absl::StatusOr<TransactionEnd> {
                if (!txn.CreatePartner(MakePartner("a.com")).ok()) {
                  return absl::InternalError("create");
                }
                absl::StatusOr<uint64_t> put = txn.PutAuditEntry(entry);
                if (!put.ok()) return put.status();
                id = *put;
                return TransactionEnd::kCommit;
              })
          .ok());
  ASSERT_GT(id, 0u);
  entry.set_id(id);
  entry.clear_identities();
  entry.add_identities("b.com");
  entry.add_identities("c.com");
  ASSERT_TRUE(
      store
          .RunPartnerTransaction(
              [&](PartnerTransaction& txn) -> absl::StatusOr<TransactionEnd> {
                absl::StatusOr<uint64_t> put = txn.PutAuditEntry(entry);
                if (!put.ok()) return put.status();
                EXPECT_EQ(*put, id);
                return TransactionEnd::kCommit;
              })
          .ok());
  std::vector<v1::AuditEntry> entries = List();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_THAT(entries[0].identities(), ElementsAre("b.com", "c.com"));
  EXPECT_EQ(List({.identity = "c.com"}).size(), 1u);
  EXPECT_EQ(List({.identity = "a.com"}).size(), 0u) << "no stale identity";
  // A transaction rolled back keeps nothing it wrote, its entry included.
  ASSERT_TRUE(
      store
          .RunPartnerTransaction(
              [&](PartnerTransaction& txn) -> absl::StatusOr<TransactionEnd> {
                EXPECT_TRUE(txn.PutAuditEntry(
                                   Entry("x", 1, "y", v1::AUDIT_RESULT_OK, {}))
                                .ok());
                return TransactionEnd::kRollBack;
              })
          .ok());
  EXPECT_EQ(List().size(), 1u);
}

TEST_P(AuditTest, PruningRemovesOnlyOldEntriesInBatchesOfTheLimit) {
  Store& store = Open();
  absl::Time now = absl::Now();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(store
                    .AppendAuditEntry(Entry("alice", 1001, "old",
                                            v1::AUDIT_RESULT_OK, {"old.com"},
                                            now - absl::Hours(24 * 400 + i)))
                    .ok());
  }
  ASSERT_TRUE(
      store
          .AppendAuditEntry(Entry("alice", 1001, "new", v1::AUDIT_RESULT_OK,
                                  {"old.com"}, now))
          .ok());
  absl::Time cutoff = now - absl::Hours(24 * 365);
  absl::StatusOr<uint64_t> pruned = store.PruneAuditEntries(cutoff, 3);
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_EQ(*pruned, 3u);
  EXPECT_EQ(*store.PruneAuditEntries(cutoff, 3), 2u);
  EXPECT_EQ(*store.PruneAuditEntries(cutoff, 3), 0u);
  EXPECT_THAT(Verbs(), ElementsAre("new"));
  EXPECT_THAT(Verbs({.identity = "old.com"}), ElementsAre("new"));
}

XMPPFED_STORE_BACKENDS(AuditTest);

}  // namespace
}  // namespace xmppfed::store::testing
