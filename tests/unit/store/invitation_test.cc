// Store::RecordInvitation / HasInvitation: the invitations a PublicUnverified
// partner's contacts need (SPEC §4), durable and not a configuration change.
#include <gtest/gtest.h>

#include <atomic>

#include "tests/unit/store/store_fixture.h"

namespace xmppfed::store::testing {
namespace {

class InvitationTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    Open();
  }

  bool Has(const char* local, const char* remote) {
    absl::StatusOr<bool> has = store_->HasInvitation(local, remote);
    EXPECT_TRUE(has.ok()) << has.status();
    return has.value_or(false);
  }
};

TEST_P(InvitationTest, ARecordedPairIsKnownInThatDirectionOnly) {
  EXPECT_FALSE(Has("alice@example.test", "bob@partner.test"));
  ASSERT_TRUE(
      store_->RecordInvitation("alice@example.test", "bob@partner.test").ok());
  EXPECT_TRUE(Has("alice@example.test", "bob@partner.test"));
  EXPECT_FALSE(Has("bob@partner.test", "alice@example.test"));
  EXPECT_FALSE(Has("alice@example.test", "carol@partner.test"));
}

TEST_P(InvitationTest, RecordingTwiceIsFine) {
  ASSERT_TRUE(
      store_->RecordInvitation("a@example.test", "b@partner.test").ok());
  absl::Status again =
      store_->RecordInvitation("a@example.test", "b@partner.test");
  EXPECT_TRUE(again.ok()) << again;
  EXPECT_TRUE(Has("a@example.test", "b@partner.test"));
}

TEST_P(InvitationTest, InvitationsSurviveReopening) {
  ASSERT_TRUE(
      store_->RecordInvitation("a@example.test", "b@partner.test").ok());
  Open();
  EXPECT_TRUE(Has("a@example.test", "b@partner.test"));
}

TEST_P(InvitationTest, RecordingDoesNotTellTheChangeListener) {
  std::atomic<int> changes{0};
  store_->SetChangeListener([&] { ++changes; });
  ASSERT_TRUE(
      store_->RecordInvitation("a@example.test", "b@partner.test").ok());
  EXPECT_EQ(changes.load(), 0);
  ASSERT_TRUE(store_->CreatePartner(MakePartner("c.com")).ok());
  EXPECT_EQ(changes.load(), 1);
}

XMPPFED_STORE_BACKENDS(InvitationTest);

}  // namespace
}  // namespace xmppfed::store::testing
