// Store::RecordInvitations / HasInvitation / ForEachInvitation: the
// invitations a PublicUnverified partner's contacts need (SPEC §4), durable,
// written in batches, and not a configuration change.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <string>
#include <utility>

#include "tests/unit/store/store_fixture.h"

namespace xmppfed::store::testing {
namespace {

class InvitationTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    Open();
  }

  absl::Status Record(const char* local, const char* remote) {
    return store_->RecordInvitations({{local, remote}});
  }

  bool Has(const char* local, const char* remote) {
    absl::StatusOr<bool> has = store_->HasInvitation(local, remote);
    EXPECT_TRUE(has.ok()) << has.status();
    return has.value_or(false);
  }
};

TEST_F(InvitationTest, ARecordedPairIsKnownInThatDirectionOnly) {
  EXPECT_FALSE(Has("alice@example.test", "bob@partner.test"));
  ASSERT_TRUE(Record("alice@example.test", "bob@partner.test").ok());
  EXPECT_TRUE(Has("alice@example.test", "bob@partner.test"));
  EXPECT_FALSE(Has("bob@partner.test", "alice@example.test"));
  EXPECT_FALSE(Has("alice@example.test", "carol@partner.test"));
}

TEST_F(InvitationTest, RecordingTwiceIsFine) {
  ASSERT_TRUE(Record("a@example.test", "b@partner.test").ok());
  absl::Status again = Record("a@example.test", "b@partner.test");
  EXPECT_TRUE(again.ok()) << again;
  EXPECT_TRUE(Has("a@example.test", "b@partner.test"));
}

TEST_F(InvitationTest, InvitationsSurviveReopening) {
  ASSERT_TRUE(Record("a@example.test", "b@partner.test").ok());
  Open();
  EXPECT_TRUE(Has("a@example.test", "b@partner.test"));
}

TEST_F(InvitationTest, RecordingDoesNotTellTheChangeListener) {
  std::atomic<int> changes{0};
  store_->SetChangeListener([&](const StoreChange&) { ++changes; });
  ASSERT_TRUE(Record("a@example.test", "b@partner.test").ok());
  EXPECT_EQ(changes.load(), 0);
  ASSERT_TRUE(store_->CreatePartner(MakePartner("c.com")).ok());
  EXPECT_EQ(changes.load(), 1);
}

TEST_F(InvitationTest, ABatchIsStoredWholeEvenWithRepeatedPairs) {
  ASSERT_TRUE(Record("a@example.test", "b@partner.test").ok());
  absl::Status recorded = store_->RecordInvitations({
      {"a@example.test", "b@partner.test"},
      {"a@example.test", "c@partner.test"},
      {"d@example.test", "b@partner.test"},
      {"a@example.test", "c@partner.test"},
  });
  ASSERT_TRUE(recorded.ok()) << recorded;
  EXPECT_TRUE(Has("a@example.test", "c@partner.test"));
  EXPECT_TRUE(Has("d@example.test", "b@partner.test"));
}

TEST_F(InvitationTest, AnEmptyBatchIsFine) {
  EXPECT_TRUE(store_->RecordInvitations({}).ok());
}

TEST_F(InvitationTest, ForEachInvitationVisitsEveryStoredPairOnce) {
  ASSERT_TRUE(store_
                  ->RecordInvitations({{"a@example.test", "b@partner.test"},
                                       {"a@example.test", "c@partner.test"}})
                  .ok());
  ASSERT_TRUE(Record("d@example.test", "b@partner.test").ok());
  std::set<std::pair<std::string, std::string>> seen;
  int visits = 0;
  absl::Status listed =
      store_->ForEachInvitation([&](const Invitation& invitation) {
        ++visits;
        seen.emplace(invitation.local_jid, invitation.remote_jid);
        return true;
      });
  ASSERT_TRUE(listed.ok()) << listed;
  EXPECT_EQ(visits, 3);
  EXPECT_EQ(seen, (std::set<std::pair<std::string, std::string>>{
                      {"a@example.test", "b@partner.test"},
                      {"a@example.test", "c@partner.test"},
                      {"d@example.test", "b@partner.test"}}));
}

TEST_F(InvitationTest, ForEachInvitationStopsWhenTheVisitorSaysSo) {
  ASSERT_TRUE(store_
                  ->RecordInvitations({{"a@example.test", "b@partner.test"},
                                       {"a@example.test", "c@partner.test"}})
                  .ok());
  int visits = 0;
  ASSERT_TRUE(store_
                  ->ForEachInvitation([&](const Invitation&) {
                    ++visits;
                    return false;
                  })
                  .ok());
  EXPECT_EQ(visits, 1);
}

}  // namespace
}  // namespace xmppfed::store::testing
