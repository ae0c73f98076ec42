// What only the etcd store does: several stores (nodes) on one prefix and
// their changes, and etcd's transaction limits (the audit log on etcd:
// etcd_audit_test.cc).
#include "agent/store/etcd_store.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "agent/store/stored_records.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/unit/store/etcd_store_fixture.h"
#include "tests/unit/store/test_audit.h"

namespace xmppfed::store::testing {
namespace {

using ::testing::HasSubstr;

TEST_F(EtcdStoreTest, NodesOnOnePrefixShareTheFirstNodesPassphrase) {
  std::string first = *Open().GetDialbackPassphrase();
  std::unique_ptr<Store> second = OpenNode();
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(*second->GetDialbackPassphrase(), first);
}

TEST_F(EtcdStoreTest, AnotherNodesChangeReachesTheListener) {
  Store& store = Open();
  std::mutex mutex;
  std::condition_variable called;
  int calls = 0;
  std::vector<StoreChange> changes;
  store.SetChangeListener([&](const StoreChange& change) {
    std::lock_guard<std::mutex> lock(mutex);
    ++calls;
    changes.push_back(change);
    called.notify_all();
  });
  std::unique_ptr<Store> other = OpenNode();
  ASSERT_NE(other, nullptr);

  ASSERT_TRUE(other
                  ->CreatePartner(MakePartner("a.com", {"a.net"}),
                                  ::xmppfed::testing::TestAudit())
                  .ok());
  {
    std::unique_lock<std::mutex> lock(mutex);
    ASSERT_TRUE(called.wait_for(lock, std::chrono::seconds(5),
                                [&] { return calls > 0; }));
  }
  EXPECT_EQ(*store.FindDomainOwner("a.net"), "a.com");

  ASSERT_TRUE(
      other->DeletePartners({"a.com"}, ::xmppfed::testing::TestRemoval()).ok());
  {
    std::unique_lock<std::mutex> lock(mutex);
    ASSERT_TRUE(called.wait_for(lock, std::chrono::seconds(5),
                                [&] { return calls > 1; }));
  }
  EXPECT_EQ(*store.GetPartner("a.com"), std::nullopt);

  std::lock_guard<std::mutex> lock(mutex);
  ASSERT_EQ(changes.size(), 2u);
  ASSERT_EQ(changes[0].upserted.size(), 1u);
  EXPECT_EQ(changes[0].upserted[0].identity(), "a.com");
  EXPECT_EQ(Domains(changes[0].upserted[0]), std::vector<std::string>{"a.net"});
  EXPECT_EQ(changes[1].removed, std::vector<std::string>{"a.com"});
  EXPECT_GT(changes[1].revision, changes[0].revision);
}

TEST_F(EtcdStoreTest, AnotherNodesInvitationsReachTheListenerNotOwnOnes) {
  Store& store = Open();
  std::mutex mutex;
  std::condition_variable called;
  std::vector<Invitation> heard;
  store.SetChangeListener([&](const StoreChange& change) {
    std::lock_guard<std::mutex> lock(mutex);
    heard.insert(heard.end(), change.invitations.begin(),
                 change.invitations.end());
    called.notify_all();
  });
  std::unique_ptr<Store> other = OpenNode();
  ASSERT_NE(other, nullptr);

  ASSERT_TRUE(store.RecordInvitations({{"own@example.test", "x@p.test"}}).ok());
  ASSERT_TRUE(
      other->RecordInvitations({{"their@example.test", "y@p.test"}}).ok());
  std::unique_lock<std::mutex> lock(mutex);
  ASSERT_TRUE(called.wait_for(lock, std::chrono::seconds(5),
                              [&] { return !heard.empty(); }));
  ASSERT_EQ(heard.size(), 1u);
  EXPECT_EQ(heard[0].local_jid, "their@example.test");
  EXPECT_EQ(heard[0].remote_jid, "y@p.test");
}

TEST_F(EtcdStoreTest, ABatchOfInvitationsLargerThanOneTransactionIsStored) {
  Store& store = Open();
  std::vector<Invitation> batch;
  for (int i = 0; i < 300; ++i) {
    batch.push_back({"u" + std::to_string(i) + "@example.test", "c@p.test"});
  }
  ASSERT_TRUE(store.RecordInvitations(batch).ok());
  int listed = 0;
  ASSERT_TRUE(store
                  .ForEachInvitation([&](const Invitation&) {
                    ++listed;
                    return true;
                  })
                  .ok());
  EXPECT_EQ(listed, 300);
}

TEST_F(EtcdStoreTest, InvitationJidsWithSlashesAndPercentsRoundTrip) {
  Store& store = Open();
  ASSERT_TRUE(
      store.RecordInvitations({{"a/b%2F@example.test", "c%@p.test"}}).ok());
  EXPECT_TRUE(*store.HasInvitation("a/b%2F@example.test", "c%@p.test"));
  std::vector<Invitation> listed;
  ASSERT_TRUE(store
                  .ForEachInvitation([&](const Invitation& invitation) {
                    listed.push_back(invitation);
                    return true;
                  })
                  .ok());
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].local_jid, "a/b%2F@example.test");
  EXPECT_EQ(listed[0].remote_jid, "c%@p.test");
}

TEST_F(EtcdStoreTest, OwnChangesReachTheListenerOnceNotAgainByTheWatch) {
  Store& store = Open();
  std::atomic<int> calls{0};
  store.SetChangeListener([&](const StoreChange&) { ++calls; });
  std::unique_ptr<Store> other = OpenNode();
  ASSERT_NE(other, nullptr);
  std::atomic<int> other_calls{0};
  other->SetChangeListener([&](const StoreChange&) { ++other_calls; });

  ASSERT_TRUE(store
                  .CreatePartner(MakePartner("mine.com"),
                                 ::xmppfed::testing::TestAudit())
                  .ok());
  // The other node's watch sees the change; by then ours has seen it too.
  for (int i = 0; i < 500 && other_calls.load() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(other_calls.load(), 1);
  ASSERT_TRUE(other
                  ->CreatePartner(MakePartner("theirs.com"),
                                  ::xmppfed::testing::TestAudit())
                  .ok());
  for (int i = 0; i < 500 && calls.load() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(calls.load(), 2);
}

// Two nodes create partners claiming one domain at the same instant, many
// times over: each time exactly one wins, and the loser is told the
// winner's name.
TEST_F(EtcdStoreTest, RacingCreatesOfOneDomainHaveOneWinner) {
  Open();
  std::unique_ptr<Store> other = OpenNode();
  ASSERT_NE(other, nullptr);
  for (int round = 0; round < 20; ++round) {
    std::string shared = "shared" + std::to_string(round) + ".net";
    std::string left = "left" + std::to_string(round) + ".com";
    std::string right = "right" + std::to_string(round) + ".com";
    std::atomic<bool> go{false};
    absl::StatusOr<v1::Partner> left_result = absl::UnknownError("not run");
    std::thread racer([&] {
      while (!go.load()) {
      }
      left_result = store_->CreatePartner(MakePartner(left, {shared}),
                                          ::xmppfed::testing::TestAudit());
    });
    go = true;
    absl::StatusOr<v1::Partner> right_result = other->CreatePartner(
        MakePartner(right, {shared}), ::xmppfed::testing::TestAudit());
    racer.join();

    ASSERT_NE(left_result.ok(), right_result.ok())
        << left_result.status() << " / " << right_result.status();
    const absl::Status& lost =
        left_result.ok() ? right_result.status() : left_result.status();
    std::string winner = left_result.ok() ? left : right;
    EXPECT_EQ(lost.code(), absl::StatusCode::kAlreadyExists) << lost;
    EXPECT_EQ(Detail(lost).owner(), winner);
    EXPECT_EQ(*store_->FindDomainOwner(shared), winner);
  }
}

TEST_F(EtcdStoreTest, RacingUpdatesWithOneExpectedRevisionHaveOneWinner) {
  Store& store = Open();
  ASSERT_TRUE(
      store.CreatePartner(MakePartner("a.com"), ::xmppfed::testing::TestAudit())
          .ok());
  std::unique_ptr<Store> other = OpenNode();
  ASSERT_NE(other, nullptr);
  v1::Partner left = MakePartner("a.com");
  left.set_description("left");
  v1::Partner right = MakePartner("a.com");
  right.set_description("right");

  std::atomic<bool> go{false};
  absl::StatusOr<v1::Partner> left_result = absl::UnknownError("not run");
  std::thread racer([&] {
    while (!go.load()) {
    }
    left_result = store.UpdatePartner(left, 1, ::xmppfed::testing::TestAudit());
  });
  go = true;
  absl::StatusOr<v1::Partner> right_result =
      other->UpdatePartner(right, 1, ::xmppfed::testing::TestAudit());
  racer.join();

  ASSERT_NE(left_result.ok(), right_result.ok());
  const absl::Status& lost =
      left_result.ok() ? right_result.status() : left_result.status();
  EXPECT_EQ(lost.code(), absl::StatusCode::kFailedPrecondition) << lost;
  absl::StatusOr<std::optional<v1::Partner>> stored = store.GetPartner("a.com");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->revision(), 2u);
  EXPECT_EQ((*stored)->description(), left_result.ok() ? "left" : "right");
}

TEST_F(EtcdStoreTest, UpdatesWithoutExpectedRevisionAreBothKept) {
  Store& store = Open();
  ASSERT_TRUE(
      store.CreatePartner(MakePartner("a.com"), ::xmppfed::testing::TestAudit())
          .ok());
  std::unique_ptr<Store> other = OpenNode();
  ASSERT_NE(other, nullptr);
  std::thread racer([&] {
    EXPECT_TRUE(store
                    .UpdatePartner(MakePartner("a.com"), std::nullopt,
                                   ::xmppfed::testing::TestAudit())
                    .ok());
  });
  EXPECT_TRUE(other
                  ->UpdatePartner(MakePartner("a.com"), std::nullopt,
                                  ::xmppfed::testing::TestAudit())
                  .ok());
  racer.join();
  EXPECT_EQ((*store.GetPartner("a.com"))->revision(), 3u);
}

TEST_F(EtcdStoreTest, APartnerHasAtMost124AdditionalDomains) {
  Store& store = Open();
  ASSERT_TRUE(store
                  .CreatePartner(MakePartner("ok.com", Numbered("d", 124)),
                                 ::xmppfed::testing::TestAudit())
                  .ok());
  absl::StatusOr<v1::Partner> refused =
      store.CreatePartner(MakePartner("big.com", Numbered("e", 125)),
                          ::xmppfed::testing::TestAudit());

  ASSERT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Detail(refused.status()).field(), "additionalDomains");
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr("at most 124 additional domains"));
  EXPECT_EQ(*store.CountPartners(), 1u);
  EXPECT_EQ(*store.FindDomainOwner("e0.example"), std::nullopt);
}

TEST_F(EtcdStoreTest, AFullTransactionRefusesTheNextWriteAndStaysUsable) {
  Store& store = Open();
  int created = 0;
  absl::Status run = store.RunPartnerTransaction(
      [&](PartnerTransaction& txn) -> absl::StatusOr<TransactionEnd> {
        for (const std::string& identity : Numbered("p", 100)) {
          absl::StatusOr<v1::Partner> written =
              txn.CreatePartner(MakePartner(identity));
          if (!written.ok()) {
            EXPECT_EQ(written.status().code(),
                      absl::StatusCode::kResourceExhausted)
                << written.status();
            break;
          }
          ++created;
        }
        return TransactionEnd::kCommit;
      });
  ASSERT_TRUE(run.ok()) << run;
  // Two keys a partner: 63 of them in 126 keys (two more are the audit
  // entry's).
  EXPECT_EQ(created, 63);
  EXPECT_EQ(*store.CountPartners(), 63u);
}

TEST_F(EtcdStoreTest, RemovingMorePartnersThanOneTransactionHoldsRemovesNone) {
  Store& store = Open();
  std::vector<std::string> identities = Numbered("p", 70);
  for (const std::string& identity : identities) {
    ASSERT_TRUE(store
                    .CreatePartner(MakePartner(identity),
                                   ::xmppfed::testing::TestAudit())
                    .ok());
  }
  absl::StatusOr<std::vector<v1::Partner>> removed =
      store.DeletePartners(identities, ::xmppfed::testing::TestRemoval());
  EXPECT_EQ(removed.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(removed.status().message()),
              HasSubstr("remove fewer at once"));
  EXPECT_EQ(*store.CountPartners(), 70u);
}

TEST_F(EtcdStoreTest, TransactionWhoseReadsChangedWritesNothing) {
  Store& store = Open();
  std::unique_ptr<Store> other = OpenNode();
  ASSERT_NE(other, nullptr);
  absl::Status run = store.RunPartnerTransaction(
      [&](PartnerTransaction& txn) -> absl::StatusOr<TransactionEnd> {
        EXPECT_TRUE(txn.CreatePartner(MakePartner("a.com")).ok());
        EXPECT_TRUE(txn.CreatePartner(MakePartner("c.com", {"x.net"})).ok());
        // Another node takes x.net before this transaction commits.
        EXPECT_TRUE(other
                        ->CreatePartner(MakePartner("d.com", {"x.net"}),
                                        ::xmppfed::testing::TestAudit())
                        .ok());
        return TransactionEnd::kCommit;
      });
  EXPECT_EQ(run.code(), absl::StatusCode::kAborted) << run;
  EXPECT_EQ(*store.GetPartner("a.com"), std::nullopt);
  EXPECT_EQ(*store.FindDomainOwner("x.net"), "d.com");
}

TEST_F(EtcdStoreTest, AnotherLayoutVersionIsRefused) {
  Open();
  store_.reset();
  // Rewrite the layout key as a newer agent would have.
  std::string uri = Uri();
  std::string prefix = uri.substr(uri.rfind('/') + 1);
  {
    absl::StatusOr<std::unique_ptr<Store>> raw = OpenStore(uri);
    ASSERT_TRUE(raw.ok());
    auto* etcd = dynamic_cast<EtcdStore*>(raw->get());
    ASSERT_NE(etcd, nullptr);
    etcdserverpb::TxnRequest txn;
    etcdserverpb::PutRequest* put = txn.add_success()->mutable_request_put();
    put->set_key(etcd->keys().layout());
    put->set_value("2");
    ASSERT_TRUE(etcd->client().Txn(txn).ok());
  }
  absl::StatusOr<std::unique_ptr<Store>> refused = OpenStore(uri);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr("layout version 2"));
}

v1::Node MakeNode(std::string id, std::string host) {
  v1::Node node;
  node.set_id(std::move(id));
  node.set_host_name(std::move(host));
  node.set_version("1.2.3");
  node.set_live_streams(4);
  return node;
}

TEST_F(EtcdStoreTest, EveryNodesRecordIsListedUntilItsStoreCloses) {
  Store& store = Open();
  std::unique_ptr<Store> other = OpenNode();
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(store.PublishNode(MakeNode("b1", "edge-b")).ok());
  ASSERT_TRUE(other->PublishNode(MakeNode("a1", "edge-a")).ok());
  // A refresh replaces the record.
  v1::Node refreshed = MakeNode("a1", "edge-a");
  refreshed.set_live_streams(9);
  ASSERT_TRUE(other->PublishNode(refreshed).ok());

  absl::StatusOr<std::vector<v1::Node>> nodes = store.ListNodes();
  ASSERT_TRUE(nodes.ok()) << nodes.status();
  ASSERT_EQ(nodes->size(), 2u);
  EXPECT_EQ((*nodes)[0].id(), "a1");
  EXPECT_EQ((*nodes)[0].live_streams(), 9u);
  EXPECT_EQ((*nodes)[1].id(), "b1");

  // A stopping agent leaves the list at once (its lease is revoked).
  other.reset();
  nodes = store.ListNodes();
  ASSERT_TRUE(nodes.ok());
  ASSERT_EQ(nodes->size(), 1u);
  EXPECT_EQ((*nodes)[0].id(), "b1");
}

TEST_F(EtcdStoreTest, StateNamesTheClusterAndItsLeader) {
  Store& store = Open();
  v1::StoreState state = store.GetState();
  EXPECT_EQ(state.backend(), "etcd");
  EXPECT_TRUE(state.reachable());
  EXPECT_FALSE(state.has_unreachable_since());
  EXPECT_EQ(state.endpoints_size(), 1);
  EXPECT_EQ(state.prefix().back(), '/');
  EXPECT_FALSE(state.cluster_id().empty());
  EXPECT_GT(state.revision(), 0);
  ASSERT_EQ(state.members_size(), 1);
  EXPECT_TRUE(state.members(0).leader());
  EXPECT_TRUE(state.members(0).reachable());
  EXPECT_FALSE(state.members(0).version().empty());
}

}  // namespace
}  // namespace xmppfed::store::testing
