// The audit log on etcd (agent/store/etcd_audit.h): ids across nodes,
// entries that reach no listener, listing and pruning, and the room an
// entry has in its change's transaction.
#include "agent/store/etcd_audit.h"

#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "agent/store/stored_records.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/store/etcd_store_fixture.h"
#include "tests/unit/store/test_audit.h"

// Filters are written as designated initializers naming only what they
// narrow; GCC 12 warns about the members left at their defaults.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace xmppfed::store::testing {
namespace {

v1::AuditEntry Audit(const std::string& verb) {
  v1::AuditEntry entry = ::xmppfed::testing::TestAudit();
  entry.set_verb(verb);
  SetTimestamp(absl::ToUnixMicros(absl::Now()), entry.mutable_time());
  return entry;
}

// Ids of the entries listed, in the order listed.
std::vector<uint64_t> ListAuditIds(Store& store) {
  std::vector<uint64_t> ids;
  absl::Status listed =
      store.ForEachAuditEntry({}, [&](const v1::AuditEntry& entry) {
        ids.push_back(entry.id());
        return true;
      });
  EXPECT_TRUE(listed.ok()) << listed;
  return ids;
}

TEST_F(EtcdStoreTest, NodesAppendingAtOnceGetDistinctGrowingIds) {
  Store& store = Open();
  std::unique_ptr<Store> other = OpenNode();
  ASSERT_NE(other, nullptr);
  constexpr int kEach = 20;
  std::thread racer([&] {
    for (int i = 0; i < kEach; ++i) {
      EXPECT_TRUE(store.AppendAuditEntry(Audit("left")).ok());
    }
  });
  for (int i = 0; i < kEach; ++i) {
    v1::Partner partner = MakePartner("p" + std::to_string(i) + ".com");
    ASSERT_TRUE(other->CreatePartner(partner, Audit("right")).ok());
  }
  racer.join();
  std::vector<uint64_t> ids = ListAuditIds(store);
  ASSERT_EQ(ids.size(), 2u * kEach);
  for (size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(ids[i], ids.size() - i) << "newest first, no id twice";
  }
  EXPECT_EQ(ListAuditIds(*other), ids);
}

TEST_F(EtcdStoreTest, AuditEntriesAloneReachNoListener) {
  Store& store = Open();
  std::unique_ptr<Store> other = OpenNode();
  ASSERT_NE(other, nullptr);
  std::atomic<int> calls{0};
  store.SetChangeListener([&](const StoreChange&) { ++calls; });
  ASSERT_TRUE(other->AppendAuditEntry(Audit("denied")).ok());
  ASSERT_TRUE(other->PruneAuditEntries(absl::Now() + absl::Hours(1), 10).ok());
  // A change after them: once it is heard, they went through the watch.
  ASSERT_TRUE(other->CreatePartner(MakePartner("a.com"), Audit("new")).ok());
  for (int i = 0; i < 500 && calls.load() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(calls.load(), 1);
}

TEST_F(EtcdStoreTest, AListingPagesThroughWhatPruningLeft) {
  Store& store = Open();
  absl::Time old = absl::Now() - absl::Hours(48);
  for (int i = 0; i < 250; ++i) {
    v1::AuditEntry entry = Audit("v" + std::to_string(i));
    if (i < 30) SetTimestamp(absl::ToUnixMicros(old), entry.mutable_time());
    ASSERT_TRUE(store.AppendAuditEntry(entry).ok());
  }
  absl::Time cutoff = absl::Now() - absl::Hours(24);
  EXPECT_EQ(*store.PruneAuditEntries(cutoff, 1000), 30u);
  std::vector<uint64_t> ids = ListAuditIds(store);
  ASSERT_EQ(ids.size(), 220u);
  EXPECT_EQ(ids.front(), 250u);
  EXPECT_EQ(ids.back(), 31u);
  // Ids keep growing after a prune.
  ASSERT_TRUE(store.AppendAuditEntry(Audit("after")).ok());
  EXPECT_EQ(ListAuditIds(store).front(), 251u);
}

TEST_F(EtcdStoreTest,
       AnEntryListingAThousandLongIdentitiesFitsAFullTransaction) {
  Store& store = Open();
  v1::AuditEntry entry = Audit("import-partners");
  for (int i = 0; i < 1000; ++i) {
    std::string number = std::to_string(1000 + i);
    entry.add_identities(std::string(253 - number.size(), 'x') + number);
  }
  int created = 0;
  absl::Status run = store.RunPartnerTransaction(
      [&](PartnerTransaction& txn) -> absl::StatusOr<TransactionEnd> {
        for (const std::string& identity : Numbered("p", 100)) {
          if (!txn.CreatePartner(MakePartner(identity)).ok()) break;
          ++created;
        }
        absl::StatusOr<uint64_t> id = txn.PutAuditEntry(entry);
        if (!id.ok()) return id.status();
        return TransactionEnd::kCommit;
      });
  ASSERT_TRUE(run.ok()) << run;
  EXPECT_EQ(created, 63);
  std::vector<v1::AuditEntry> listed;
  ASSERT_TRUE(store
                  .ForEachAuditEntry({.identity = entry.identities(999)},
                                     [&](const v1::AuditEntry& found) {
                                       listed.push_back(found);
                                       return true;
                                     })
                  .ok());
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].identities_size(), 1000);
}

TEST_F(EtcdStoreTest, AnEntryTooLargeForItsTransactionIsRefusedWithTheChange) {
  Store& store = Open();
  v1::AuditEntry entry = Audit("set-partner");
  entry.set_error(std::string(1'600'000, 'x'));
  absl::StatusOr<v1::Partner> refused =
      store.CreatePartner(MakePartner("a.com"), entry);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted)
      << refused.status();
  EXPECT_EQ(*store.GetPartner("a.com"), std::nullopt);
  EXPECT_TRUE(ListAuditIds(store).empty());
}

}  // namespace
}  // namespace xmppfed::store::testing
