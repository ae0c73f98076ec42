// PolicyKeeper over a real SQLite store: the snapshot follows every change
// without reading the store again, survives failed reads, and invitations
// reach the store in batches.
#include "agent/snapshot/policy_keeper.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <future>
#include <string>
#include <thread>

#include "tests/unit/service/store_fixture.h"
#include "tests/unit/snapshot/flaky_store.h"
#include "tests/unit/snapshot/partner_fixtures.h"
#include "tests/unit/store/test_audit.h"

namespace xmppfed::snapshot::testing {
namespace {

class PolicyKeeperTest : public xmppfed::testing::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    flaky_ = std::make_unique<FlakyStore>(store_.get());
  }
  void TearDown() override {
    keeper_.reset();
    flaky_.reset();
    StoreFixture::TearDown();
  }

  void StartKeeper() {
    absl::StatusOr<std::unique_ptr<PolicyKeeper>> started =
        PolicyKeeper::Start(flaky_.get(), {"example.test"});
    ASSERT_TRUE(started.ok()) << started.status();
    keeper_ = *std::move(started);
  }
  std::shared_ptr<const PolicySnapshot> Current() {
    return keeper_->source()->Current();
  }
  std::string OwnerOf(std::string_view domain) {
    const PartnerPolicy* partner = Current()->PartnerFor(domain);
    return partner == nullptr ? "" : std::string(partner->identity());
  }
  // Polls `done` for up to 10 s (the keeper retries on its own thread).
  static bool Eventually(const std::function<bool()>& done) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
  }

  std::unique_ptr<FlakyStore> flaky_;
  std::unique_ptr<PolicyKeeper> keeper_;
};

TEST_F(PolicyKeeperTest, StartReadsPartnersSettingsAndSecret) {
  ASSERT_TRUE(store_
                  ->CreatePartner(MakePartner("a.com", {"a.net"}),
                                  ::xmppfed::testing::TestAudit())
                  .ok());
  v1::GatewayConfig config;
  config.set_connection_limit(77);
  ASSERT_TRUE(store_
                  ->PutGatewayConfig(config, "a-passphrase-of-some-length",
                                     std::nullopt,
                                     ::xmppfed::testing::TestAudit())
                  .ok());
  StartKeeper();
  EXPECT_EQ(OwnerOf("a.net"), "a.com");
  EXPECT_EQ(Current()->gateway().connection_limit(), 77u);
  EXPECT_EQ(Current()->dialback_secret(), "a-passphrase-of-some-length");
  EXPECT_TRUE(Current()->IsLocal("example.test"));
}

TEST_F(PolicyKeeperTest, ChangesArePatchedInWithoutReadingThePartnersAgain) {
  StartKeeper();
  int scans_at_start = flaky_->partner_scans.load();
  int publishes = 0;
  keeper_->source()->SetPublishListener([&] { ++publishes; });

  ASSERT_TRUE(flaky_
                  ->CreatePartner(MakePartner("a.com", {"x.net"}),
                                  ::xmppfed::testing::TestAudit())
                  .ok());
  EXPECT_EQ(OwnerOf("x.net"), "a.com");
  ASSERT_TRUE(
      flaky_
          ->CreatePartner(MakePartner("b.com"), ::xmppfed::testing::TestAudit())
          .ok());
  // One transaction moves x.net from a.com to b.com.
  ASSERT_TRUE(
      flaky_
          ->RunPartnerTransaction([](store::PartnerTransaction& txn)
                                      -> absl::StatusOr<store::TransactionEnd> {
            EXPECT_TRUE(txn.UpdatePartner(MakePartner("a.com"), 1).ok());
            EXPECT_TRUE(
                txn.UpdatePartner(MakePartner("b.com", {"x.net"}), 1).ok());
            return store::TransactionEnd::kCommit;
          })
          .ok());
  EXPECT_EQ(OwnerOf("x.net"), "b.com");
  ASSERT_TRUE(
      flaky_->DeletePartners({"b.com"}, ::xmppfed::testing::TestRemoval())
          .ok());
  EXPECT_EQ(OwnerOf("x.net"), "");
  EXPECT_EQ(OwnerOf("a.com"), "a.com");

  EXPECT_EQ(publishes, 4);
  EXPECT_EQ(flaky_->partner_scans.load(), scans_at_start);
}

TEST_F(PolicyKeeperTest, GatewayChangeBringsNewSettingsAndSecret) {
  StartKeeper();
  std::string old_secret = Current()->dialback_secret();
  EXPECT_FALSE(old_secret.empty());
  v1::GatewayConfig config = Current()->gateway();
  config.set_max_stanza_size(20000);
  ASSERT_TRUE(flaky_
                  ->PutGatewayConfig(config, "another-passphrase-here",
                                     std::nullopt,
                                     ::xmppfed::testing::TestAudit())
                  .ok());
  EXPECT_EQ(Current()->gateway().max_stanza_size(), 20000u);
  EXPECT_EQ(Current()->dialback_secret(), "another-passphrase-here");
}

TEST_F(PolicyKeeperTest, SnapshotRevisionFollowsTheStore) {
  StartKeeper();
  ASSERT_TRUE(
      flaky_
          ->CreatePartner(MakePartner("a.com"), ::xmppfed::testing::TestAudit())
          .ok());
  uint64_t seen = Current()->revision();
  EXPECT_GT(seen, 0u);
  ASSERT_TRUE(
      flaky_
          ->CreatePartner(MakePartner("b.com"), ::xmppfed::testing::TestAudit())
          .ok());
  EXPECT_EQ(Current()->revision(), seen + 1);
}

TEST_F(PolicyKeeperTest, AFailedReadKeepsTheLastPolicyUntilARetryWorks) {
  ASSERT_TRUE(
      store_
          ->CreatePartner(MakePartner("a.com"), ::xmppfed::testing::TestAudit())
          .ok());
  StartKeeper();
  std::shared_ptr<const PolicySnapshot> before = Current();

  flaky_->fail_reads = true;
  v1::GatewayConfig config = before->gateway();
  config.set_connection_limit(5);
  ASSERT_TRUE(flaky_
                  ->PutGatewayConfig(config, std::nullopt, std::nullopt,
                                     ::xmppfed::testing::TestAudit())
                  .ok());
  // The settings could not be read: the old ones stay, partners too.
  EXPECT_EQ(Current()->gateway().connection_limit(),
            before->gateway().connection_limit());
  EXPECT_EQ(OwnerOf("a.com"), "a.com");
  // A partner change meanwhile still applies: it carries its data.
  ASSERT_TRUE(
      flaky_
          ->CreatePartner(MakePartner("b.com"), ::xmppfed::testing::TestAudit())
          .ok());

  flaky_->fail_reads = false;
  EXPECT_TRUE(Eventually(
      [&] { return Current()->gateway().connection_limit() == 5u; }));
  EXPECT_EQ(OwnerOf("a.com"), "a.com");
  EXPECT_EQ(OwnerOf("b.com"), "b.com");
}

TEST_F(PolicyKeeperTest, StartFailsWhenTheStoreCannotBeRead) {
  flaky_->fail_reads = true;
  absl::StatusOr<std::unique_ptr<PolicyKeeper>> started =
      PolicyKeeper::Start(flaky_.get(), {"example.test"});
  EXPECT_EQ(started.status().code(), absl::StatusCode::kUnavailable);
}

// On etcd, setting the listener waits for a running notice; a notice that
// arrives while the first read runs waits for that read.
TEST_F(PolicyKeeperTest, AFailedStartIsNotStuckBehindANoticeWaitingForIt) {
  flaky_->fail_reads = true;
  store::StoreChange change;
  change.upserted.push_back(MakePartner("during-start.com"));
  change.revision = 1;
  flaky_->NoticeOnNextListener(change);
  std::promise<absl::Status> finished;
  std::future<absl::Status> status = finished.get_future();
  std::thread start([&] {
    finished.set_value(
        PolicyKeeper::Start(flaky_.get(), {"example.test"}).status());
  });
  if (status.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
    // Nothing can unwind a deadlocked thread: end the test binary.
    ADD_FAILURE() << "Start is stuck behind the notice waiting for its read";
    std::abort();
  }
  start.join();
  EXPECT_EQ(status.get().code(), absl::StatusCode::kUnavailable);
}

TEST_F(PolicyKeeperTest, ANoticeDuringTheFirstReadIsAppliedAfterIt) {
  ASSERT_TRUE(store_
                  ->CreatePartner(MakePartner("stored.com"),
                                  ::xmppfed::testing::TestAudit())
                  .ok());
  store::StoreChange change;
  // Not in the store: only the notice brings it.
  change.upserted.push_back(MakePartner("noticed.com"));
  change.revision = 7;
  flaky_->NoticeOnNextListener(change);
  StartKeeper();
  EXPECT_TRUE(
      Eventually([&] { return OwnerOf("noticed.com") == "noticed.com"; }));
  EXPECT_EQ(OwnerOf("stored.com"), "stored.com");
  EXPECT_EQ(Current()->revision(), 7u);
}

TEST_F(PolicyKeeperTest, ReloadAllReadsEverythingAgain) {
  StartKeeper();
  flaky_->mute_notices = true;
  ASSERT_TRUE(flaky_
                  ->CreatePartner(MakePartner("unseen.com"),
                                  ::xmppfed::testing::TestAudit())
                  .ok());
  EXPECT_EQ(OwnerOf("unseen.com"), "");
  store::StoreChange change;
  change.reload_all = true;
  change.revision = 99;
  flaky_->Notify(change);
  EXPECT_EQ(OwnerOf("unseen.com"), "unseen.com");
  EXPECT_EQ(Current()->revision(), 99u);
}

TEST_F(PolicyKeeperTest, InvitationsAreLoadedAtStart) {
  ASSERT_TRUE(
      store_->RecordInvitations({{"a@example.test", "b@partner.test"}}).ok());
  StartKeeper();
  EXPECT_TRUE(keeper_->source()->IsInvited("a@example.test", "b@partner.test"));
  EXPECT_FALSE(
      keeper_->source()->IsInvited("a@example.test", "c@partner.test"));
}

TEST_F(PolicyKeeperTest, RecordedInvitationsAreSeenAtOnceAndStoredInBatches) {
  StartKeeper();
  constexpr int kCount = 2500;
  for (int i = 0; i < kCount; ++i) {
    keeper_->source()->RecordInvitation(
        "u" + std::to_string(i) + "@example.test", "c@partner.test");
    ASSERT_TRUE(keeper_->source()->IsInvited(
        "u" + std::to_string(i) + "@example.test", "c@partner.test"));
  }
  keeper_->FlushInvitations();
  for (int i : {0, kCount / 2, kCount - 1}) {
    absl::StatusOr<bool> stored = store_->HasInvitation(
        "u" + std::to_string(i) + "@example.test", "c@partner.test");
    ASSERT_TRUE(stored.ok());
    EXPECT_TRUE(*stored) << i;
  }
  // At most kMaxBatch per commit, and far fewer commits than invitations.
  EXPECT_GE(flaky_->invitation_batches.load(), 3);
  EXPECT_LT(flaky_->invitation_batches.load(), 100);
}

TEST_F(PolicyKeeperTest, InvitationsWaitForAStoreThatRefusesThem) {
  StartKeeper();
  flaky_->fail_invitation_writes = true;
  keeper_->source()->RecordInvitation("a@example.test", "b@partner.test");
  keeper_->FlushInvitations();  // returns after the failed attempt
  EXPECT_FALSE(*store_->HasInvitation("a@example.test", "b@partner.test"));
  EXPECT_TRUE(keeper_->source()->IsInvited("a@example.test", "b@partner.test"));
  flaky_->fail_invitation_writes = false;
  EXPECT_TRUE(Eventually([&] {
    return *store_->HasInvitation("a@example.test", "b@partner.test");
  }));
}

TEST_F(PolicyKeeperTest, PendingInvitationsAreStoredWhenTheKeeperStops) {
  StartKeeper();
  keeper_->source()->RecordInvitation("a@example.test", "b@partner.test");
  keeper_.reset();
  EXPECT_TRUE(*store_->HasInvitation("a@example.test", "b@partner.test"));
}

TEST_F(PolicyKeeperTest, OtherNodesInvitationsGoToTheBookNotBackToTheStore) {
  StartKeeper();
  int batches = flaky_->invitation_batches.load();
  store::StoreChange change;
  change.invitations.push_back({"a@example.test", "b@partner.test"});
  change.revision = 7;
  flaky_->Notify(change);
  EXPECT_TRUE(keeper_->source()->IsInvited("a@example.test", "b@partner.test"));
  keeper_->FlushInvitations();
  EXPECT_EQ(flaky_->invitation_batches.load(), batches);
}

}  // namespace
}  // namespace xmppfed::snapshot::testing
