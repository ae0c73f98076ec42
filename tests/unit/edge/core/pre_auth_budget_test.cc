// PreAuthBudget: which unauthenticated streams make room for a newcomer
// (the oldest from its address, then the oldest of all; never the
// newcomer), and how a stream leaves the count.
#include "agent/edge/core/pre_auth_budget.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace xmppfed::edge {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(PreAuthBudgetTest, WithinBothLimitsNothingIsEvicted) {
  PreAuthBudget budget;
  EXPECT_THAT(budget.Admit(1, "192.0.2.1", 3, 2), IsEmpty());
  EXPECT_THAT(budget.Admit(2, "192.0.2.1", 3, 2), IsEmpty());
  EXPECT_THAT(budget.Admit(3, "192.0.2.2", 3, 2), IsEmpty());
  EXPECT_EQ(budget.size(), 3u);
  EXPECT_EQ(budget.CountFrom("192.0.2.1"), 2u);
}

TEST(PreAuthBudgetTest, FullGlobalBudgetEvictsTheOldestStream) {
  PreAuthBudget budget;
  budget.Admit(1, "192.0.2.1", 3, 10);
  budget.Admit(2, "192.0.2.2", 3, 10);
  budget.Admit(3, "192.0.2.3", 3, 10);
  EXPECT_THAT(budget.Admit(4, "192.0.2.4", 3, 10), ElementsAre(1u));
  EXPECT_EQ(budget.size(), 3u);
  EXPECT_EQ(budget.CountFrom("192.0.2.1"), 0u);
}

TEST(PreAuthBudgetTest, FullAddressEvictsItsOwnOldestNotAnotherAddresss) {
  PreAuthBudget budget;
  budget.Admit(1, "192.0.2.9", 100, 2);  // another address, older
  budget.Admit(2, "192.0.2.1", 100, 2);
  budget.Admit(3, "192.0.2.1", 100, 2);
  EXPECT_THAT(budget.Admit(4, "192.0.2.1", 100, 2), ElementsAre(2u));
  EXPECT_EQ(budget.CountFrom("192.0.2.1"), 2u);
  EXPECT_EQ(budget.CountFrom("192.0.2.9"), 1u);
}

TEST(PreAuthBudgetTest, NewcomerIsNeverItsOwnVictim) {
  PreAuthBudget budget;
  EXPECT_THAT(budget.Admit(1, "192.0.2.1", 1, 1), IsEmpty());
  EXPECT_THAT(budget.Admit(2, "192.0.2.1", 1, 1), ElementsAre(1u));
  EXPECT_THAT(budget.Admit(3, "192.0.2.2", 1, 1), ElementsAre(2u));
  EXPECT_EQ(budget.size(), 1u);
  // Limits of 0 read as 1: a newcomer always fits.
  EXPECT_THAT(budget.Admit(4, "192.0.2.2", 0, 0), ElementsAre(3u));
}

TEST(PreAuthBudgetTest, AuthenticatedOrClosedStreamsLeaveTheCount) {
  PreAuthBudget budget;
  budget.Admit(1, "192.0.2.1", 2, 2);
  budget.Admit(2, "192.0.2.1", 2, 2);
  budget.Forget(1);
  budget.Forget(1);   // twice: no effect
  budget.Forget(42);  // never counted: no effect
  EXPECT_THAT(budget.Admit(3, "192.0.2.1", 2, 2), IsEmpty());
  EXPECT_EQ(budget.TakeOldest(), 2u);
  EXPECT_EQ(budget.TakeOldest(), 3u);
  EXPECT_EQ(budget.TakeOldest(), std::nullopt);
  EXPECT_EQ(budget.CountFrom("192.0.2.1"), 0u);
}

TEST(PreAuthBudgetTest, StreamsThatOpenedGoAfterThoseThatSentNothing) {
  PreAuthBudget budget;
  budget.Admit(1, "192.0.2.1", 100, 3);  // a partner whose header was read
  budget.MarkOpened(1);
  budget.Admit(2, "192.0.2.1", 100, 3);  // idle
  budget.Admit(3, "192.0.2.1", 100, 3);  // idle
  EXPECT_THAT(budget.Admit(4, "192.0.2.1", 100, 3), ElementsAre(2u));
  EXPECT_THAT(budget.Admit(5, "192.0.2.1", 100, 3), ElementsAre(3u));
  EXPECT_THAT(budget.Admit(6, "192.0.2.1", 100, 3), ElementsAre(4u));
  // Globally too: the oldest unopened, from any address.
  PreAuthBudget global;
  global.Admit(1, "192.0.2.1", 2, 10);
  global.MarkOpened(1);
  global.Admit(2, "192.0.2.2", 2, 10);
  EXPECT_THAT(global.Admit(3, "192.0.2.3", 2, 10), ElementsAre(2u));
  // Only opened streams left: the oldest of them.
  global.MarkOpened(3);
  EXPECT_THAT(global.Admit(4, "192.0.2.4", 2, 10), ElementsAre(1u));
  EXPECT_EQ(global.TakeOldest(), 4u);  // unopened first
  EXPECT_EQ(global.TakeOldest(), 3u);
}

TEST(PreAuthBudgetTest, HostOfPeerAddressDropsThePort) {
  EXPECT_EQ(HostOfPeerAddress("192.0.2.1:5269"), "192.0.2.1");
  EXPECT_EQ(HostOfPeerAddress("[2001:db8::1]:5269"), "2001:db8::1");
  EXPECT_EQ(HostOfPeerAddress("unix"), "unix");
}

}  // namespace
}  // namespace xmppfed::edge
