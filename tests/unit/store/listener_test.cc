// The change listener: once per committed change, never for a refusal or a
// read, on the writing thread, free to read the store, told what changed
// (StoreChange) in revision order.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/unit/store/store_fixture.h"
#include "tests/unit/store/test_audit.h"

namespace xmppfed::store::testing {
namespace {

TEST_P(StoreTest, ChangeListenerIsCalledOncePerCommit) {
  Store& store = Open();
  int calls = 0;
  store.SetChangeListener([&](const StoreChange&) { ++calls; });

  ASSERT_TRUE(
      store.CreatePartner(MakePartner("a.com"), ::xmppfed::testing::TestAudit())
          .ok());
  EXPECT_EQ(calls, 1);
  ASSERT_TRUE(
      store.CreatePartner(MakePartner("b.com"), ::xmppfed::testing::TestAudit())
          .ok());
  EXPECT_EQ(calls, 2);
  ASSERT_TRUE(store
                  .UpdatePartner(MakePartner("a.com"), 1,
                                 ::xmppfed::testing::TestAudit())
                  .ok());
  EXPECT_EQ(calls, 3);
  ASSERT_TRUE(
      store
          .DeletePartners({"a.com", "b.com"}, ::xmppfed::testing::TestRemoval())
          .ok());
  EXPECT_EQ(calls, 4);
  ASSERT_TRUE(store
                  .PutGatewayConfig(v1::GatewayConfig(), "x", std::nullopt,
                                    ::xmppfed::testing::TestAudit())
                  .ok());
  EXPECT_EQ(calls, 5);
}

TEST_P(StoreTest, ChangeListenerIsNotCalledForRefusedChanges) {
  Store& store = Open();
  ASSERT_TRUE(store
                  .CreatePartner(MakePartner("a.com", {"a.net"}),
                                 ::xmppfed::testing::TestAudit())
                  .ok());
  ASSERT_TRUE(store
                  .PutGatewayConfig(v1::GatewayConfig(), std::nullopt,
                                    std::nullopt,
                                    ::xmppfed::testing::TestAudit())
                  .ok());
  int calls = 0;
  store.SetChangeListener([&](const StoreChange&) { ++calls; });

  EXPECT_FALSE(
      store.CreatePartner(MakePartner("a.com"), ::xmppfed::testing::TestAudit())
          .ok());
  EXPECT_FALSE(store
                   .CreatePartner(MakePartner("b.com", {"a.net"}),
                                  ::xmppfed::testing::TestAudit())
                   .ok());
  EXPECT_FALSE(store
                   .UpdatePartner(MakePartner("a.com"), 7,
                                  ::xmppfed::testing::TestAudit())
                   .ok());
  EXPECT_FALSE(store
                   .UpdatePartner(MakePartner("c.com"), std::nullopt,
                                  ::xmppfed::testing::TestAudit())
                   .ok());
  EXPECT_FALSE(
      store
          .DeletePartners({"a.com", "c.com"}, ::xmppfed::testing::TestRemoval())
          .ok());
  EXPECT_FALSE(store
                   .PutGatewayConfig(v1::GatewayConfig(), std::nullopt, 7,
                                     ::xmppfed::testing::TestAudit())
                   .ok());
  EXPECT_EQ(calls, 0);
}

TEST_P(StoreTest, ChangeListenerIsNotCalledForReads) {
  Store& store = Open();
  ASSERT_TRUE(
      store.CreatePartner(MakePartner("a.com"), ::xmppfed::testing::TestAudit())
          .ok());
  int calls = 0;
  store.SetChangeListener([&](const StoreChange&) { ++calls; });

  ASSERT_TRUE(store.GetPartner("a.com").ok());
  ASSERT_TRUE(store.FindDomainOwner("a.com").ok());
  ASSERT_TRUE(store.CountPartners().ok());
  ASSERT_TRUE(
      store.ForEachPartner("", [](const v1::Partner&) { return true; }).ok());
  ASSERT_TRUE(store.GetGatewayConfig().ok());
  ASSERT_TRUE(store.GetDialbackPassphrase().ok());
  EXPECT_EQ(calls, 0);
}

// On etcd the listener runs on the watch's thread (see
// ChangeListenerHasRunWhenTheWriteReturns).
TEST_F(SqliteStoreTest, ChangeListenerRunsOnTheWritingThread) {
  Store& store = Open();
  std::thread::id called_on;
  store.SetChangeListener(
      [&](const StoreChange&) { called_on = std::this_thread::get_id(); });

  std::thread::id writer_id;
  std::thread writer([&] {
    writer_id = std::this_thread::get_id();
    EXPECT_TRUE(store
                    .CreatePartner(MakePartner("a.com"),
                                   ::xmppfed::testing::TestAudit())
                    .ok());
  });
  writer.join();

  EXPECT_EQ(called_on, writer_id);
}

TEST_P(StoreTest, ChangeListenerSeesTheCommittedChange) {
  Store& store = Open();
  std::optional<uint64_t> seen_revision;
  store.SetChangeListener([&](const StoreChange&) {
    absl::StatusOr<std::optional<v1::Partner>> partner =
        store.GetPartner("a.com");
    if (partner.ok() && partner->has_value()) {
      seen_revision = (*partner)->revision();
    }
  });

  ASSERT_TRUE(
      store.CreatePartner(MakePartner("a.com"), ::xmppfed::testing::TestAudit())
          .ok());
  EXPECT_EQ(seen_revision, 1u);
  ASSERT_TRUE(store
                  .UpdatePartner(MakePartner("a.com"), 1,
                                 ::xmppfed::testing::TestAudit())
                  .ok());
  EXPECT_EQ(seen_revision, 2u);
}

TEST_P(StoreTest, EmptyChangeListenerRemovesTheListener) {
  Store& store = Open();
  int calls = 0;
  store.SetChangeListener([&](const StoreChange&) { ++calls; });
  store.SetChangeListener(nullptr);

  ASSERT_TRUE(
      store.CreatePartner(MakePartner("a.com"), ::xmppfed::testing::TestAudit())
          .ok());
  EXPECT_EQ(calls, 0);
}

std::vector<std::string> Identities(const std::vector<v1::Partner>& partners) {
  std::vector<std::string> identities;
  for (const v1::Partner& partner : partners) {
    identities.push_back(partner.identity());
  }
  return identities;
}

TEST_P(StoreTest, ChangeNamesTheCreatedPartnerAsStoredWithItsDomains) {
  Store& store = Open();
  std::vector<StoreChange> changes;
  store.SetChangeListener(
      [&](const StoreChange& change) { changes.push_back(change); });

  ASSERT_TRUE(store
                  .CreatePartner(MakePartner("a.com", {"b.net", "a.net"}),
                                 ::xmppfed::testing::TestAudit())
                  .ok());

  ASSERT_EQ(changes.size(), 1u);
  ASSERT_EQ(changes[0].upserted.size(), 1u);
  const v1::Partner& stored = changes[0].upserted[0];
  EXPECT_EQ(stored.identity(), "a.com");
  EXPECT_EQ(stored.revision(), 1u);
  EXPECT_EQ(Domains(stored), (std::vector<std::string>{"a.net", "b.net"}));
  EXPECT_TRUE(changes[0].removed.empty());
  EXPECT_FALSE(changes[0].gateway_changed);
  EXPECT_FALSE(changes[0].reload_all);
}

TEST_P(StoreTest, ChangeNamesTheUpdatedPartnerInItsNewState) {
  Store& store = Open();
  ASSERT_TRUE(store
                  .CreatePartner(MakePartner("a.com", {"a.net"}),
                                 ::xmppfed::testing::TestAudit())
                  .ok());
  std::vector<StoreChange> changes;
  store.SetChangeListener(
      [&](const StoreChange& change) { changes.push_back(change); });

  v1::Partner updated = MakePartner("a.com", {"c.net"});
  updated.set_partner_type(v1::PARTNER_TYPE_PUBLIC_UNVERIFIED);
  ASSERT_TRUE(
      store.UpdatePartner(updated, 1, ::xmppfed::testing::TestAudit()).ok());

  ASSERT_EQ(changes.size(), 1u);
  ASSERT_EQ(changes[0].upserted.size(), 1u);
  EXPECT_EQ(changes[0].upserted[0].revision(), 2u);
  EXPECT_EQ(changes[0].upserted[0].partner_type(),
            v1::PARTNER_TYPE_PUBLIC_UNVERIFIED);
  EXPECT_EQ(Domains(changes[0].upserted[0]), std::vector<std::string>{"c.net"});
}

TEST_P(StoreTest, ChangeNamesEveryRemovedIdentityOnce) {
  Store& store = Open();
  ASSERT_TRUE(
      store.CreatePartner(MakePartner("a.com"), ::xmppfed::testing::TestAudit())
          .ok());
  ASSERT_TRUE(
      store.CreatePartner(MakePartner("b.com"), ::xmppfed::testing::TestAudit())
          .ok());
  std::vector<StoreChange> changes;
  store.SetChangeListener(
      [&](const StoreChange& change) { changes.push_back(change); });

  ASSERT_TRUE(store
                  .DeletePartners({"b.com", "a.com", "b.com"},
                                  ::xmppfed::testing::TestRemoval())
                  .ok());

  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].removed, (std::vector<std::string>{"b.com", "a.com"}));
  EXPECT_TRUE(changes[0].upserted.empty());
}

TEST_P(StoreTest, GatewayChangeIsFlagged) {
  Store& store = Open();
  std::vector<StoreChange> changes;
  store.SetChangeListener(
      [&](const StoreChange& change) { changes.push_back(change); });

  ASSERT_TRUE(store
                  .PutGatewayConfig(v1::GatewayConfig(), std::nullopt,
                                    std::nullopt,
                                    ::xmppfed::testing::TestAudit())
                  .ok());

  ASSERT_EQ(changes.size(), 1u);
  EXPECT_TRUE(changes[0].gateway_changed);
  EXPECT_TRUE(changes[0].upserted.empty());
  EXPECT_TRUE(changes[0].removed.empty());
}

TEST_P(StoreTest, TransactionChangeListsEachWrittenPartnerOnceInItsLastState) {
  Store& store = Open();
  ASSERT_TRUE(
      store.CreatePartner(MakePartner("a.com"), ::xmppfed::testing::TestAudit())
          .ok());
  std::vector<StoreChange> changes;
  store.SetChangeListener(
      [&](const StoreChange& change) { changes.push_back(change); });

  absl::Status run = store.RunPartnerTransaction(
      [](PartnerTransaction& txn) -> absl::StatusOr<TransactionEnd> {
        EXPECT_TRUE(txn.CreatePartner(MakePartner("b.com")).ok());
        EXPECT_TRUE(txn.UpdatePartner(MakePartner("a.com"), 1).ok());
        EXPECT_TRUE(txn.UpdatePartner(MakePartner("b.com", {"b.net"}), 1).ok());
        // Refused: leaves nothing in the change.
        EXPECT_FALSE(txn.CreatePartner(MakePartner("c.com", {"b.net"})).ok());
        return TransactionEnd::kCommit;
      });
  ASSERT_TRUE(run.ok()) << run;

  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(Identities(changes[0].upserted),
            (std::vector<std::string>{"b.com", "a.com"}));
  EXPECT_EQ(changes[0].upserted[0].revision(), 2u);
  EXPECT_EQ(Domains(changes[0].upserted[0]), std::vector<std::string>{"b.net"});
}

TEST_P(StoreTest, TransactionChangeListsRemovedPartnersByTheirLastWrite) {
  Store& store = Open();
  ASSERT_TRUE(
      store.CreatePartner(MakePartner("a.com"), ::xmppfed::testing::TestAudit())
          .ok());
  ASSERT_TRUE(
      store.CreatePartner(MakePartner("b.com"), ::xmppfed::testing::TestAudit())
          .ok());
  std::vector<StoreChange> changes;
  store.SetChangeListener(
      [&](const StoreChange& change) { changes.push_back(change); });

  absl::Status run = store.RunPartnerTransaction(
      [](PartnerTransaction& txn) -> absl::StatusOr<TransactionEnd> {
        EXPECT_TRUE(txn.DeletePartner("a.com").ok());
        // Written, then removed: removed.
        EXPECT_TRUE(txn.UpdatePartner(MakePartner("b.com", {"b.net"}), 1).ok());
        EXPECT_TRUE(txn.DeletePartner("b.com").ok());
        // Removed, then created again: upserted in its new state.
        EXPECT_TRUE(txn.CreatePartner(MakePartner("a.com", {"a.net"})).ok());
        // Refused: leaves nothing in the change.
        EXPECT_FALSE(txn.DeletePartner("c.com").ok());
        return TransactionEnd::kCommit;
      });
  ASSERT_TRUE(run.ok()) << run;

  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(Identities(changes[0].upserted), std::vector<std::string>{"a.com"});
  EXPECT_EQ(Domains(changes[0].upserted[0]), std::vector<std::string>{"a.net"});
  EXPECT_EQ(changes[0].removed, std::vector<std::string>{"b.com"});
}

TEST_P(StoreTest, RevisionsGrowWithEveryCommit) {
  Store& store = Open();
  std::vector<uint64_t> revisions;
  store.SetChangeListener(
      [&](const StoreChange& change) { revisions.push_back(change.revision); });

  ASSERT_TRUE(
      store.CreatePartner(MakePartner("a.com"), ::xmppfed::testing::TestAudit())
          .ok());
  EXPECT_FALSE(
      store.CreatePartner(MakePartner("a.com"), ::xmppfed::testing::TestAudit())
          .ok());
  ASSERT_TRUE(
      store.DeletePartners({"a.com"}, ::xmppfed::testing::TestRemoval()).ok());
  ASSERT_TRUE(store
                  .PutGatewayConfig(v1::GatewayConfig(), std::nullopt,
                                    std::nullopt,
                                    ::xmppfed::testing::TestAudit())
                  .ok());

  ASSERT_EQ(revisions.size(), 3u);
  EXPECT_GT(revisions[1], revisions[0]);
  EXPECT_GT(revisions[2], revisions[1]);
  if (backend() == Backend::kSqlite) {
    // etcd's revisions also count other prefixes' writes.
    EXPECT_EQ(revisions[1], revisions[0] + 1);
    EXPECT_EQ(revisions[2], revisions[1] + 1);
  }
}

// Writers on several threads: the listener never runs twice at once and
// hears the changes in revision order.
TEST_P(StoreTest, ListenerCallsNeverOverlapAndFollowRevisionOrder) {
  Store& store = Open();
  std::atomic<int> running{0};
  std::atomic<bool> overlapped{false};
  std::vector<uint64_t> revisions;
  store.SetChangeListener([&](const StoreChange& change) {
    if (running.fetch_add(1) != 0) overlapped = true;
    revisions.push_back(change.revision);
    std::this_thread::yield();
    running.fetch_sub(1);
  });

  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&store, t] {
      for (int i = 0; i < 25; ++i) {
        std::string id =
            "w" + std::to_string(t) + "-" + std::to_string(i) + ".com";
        EXPECT_TRUE(
            store
                .CreatePartner(MakePartner(id), ::xmppfed::testing::TestAudit())
                .ok());
      }
    });
  }
  for (std::thread& writer : writers) writer.join();

  EXPECT_FALSE(overlapped.load());
  ASSERT_EQ(revisions.size(), 100u);
  for (size_t i = 1; i < revisions.size(); ++i) {
    EXPECT_GT(revisions[i], revisions[i - 1]) << "at " << i;
  }
}

TEST_P(StoreTest, ChangeListenerHasRunWhenTheWriteReturns) {
  Store& store = Open();
  std::atomic<int> calls{0};
  store.SetChangeListener([&](const StoreChange&) { ++calls; });
  std::thread writer([&] {
    EXPECT_TRUE(store
                    .CreatePartner(MakePartner("a.com"),
                                   ::xmppfed::testing::TestAudit())
                    .ok());
    EXPECT_EQ(calls.load(), 1);
  });
  writer.join();
}

}  // namespace
}  // namespace xmppfed::store::testing
