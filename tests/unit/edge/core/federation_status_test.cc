// FederationStatusBook and SortByTrouble: successes each way, failures with
// their step and count, a success resetting the count, and the order
// get-partner-status lists partners in.
#include "agent/edge/core/federation_status.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace xmppfed::edge {
namespace {

using ::testing::ElementsAre;

const absl::Time kT0 = absl::FromUnixSeconds(1'800'000'000);

std::vector<std::string> Order(std::vector<PartnerFederationStatus> statuses) {
  SortByTrouble(statuses);
  std::vector<std::string> partners;
  for (const auto& status : statuses) partners.push_back(status.partner);
  return partners;
}

TEST(FederationStatusBookTest, AnUnseenPartnerHasNothing) {
  FederationStatusBook book;
  PartnerFederationStatus status = book.Of("a.test");
  EXPECT_EQ(status.partner, "a.test");
  EXPECT_EQ(status.last_inbound_at, absl::InfinitePast());
  EXPECT_EQ(status.last_outbound_at, absl::InfinitePast());
  EXPECT_FALSE(status.failing());
}

TEST(FederationStatusBookTest, FailuresCountUntilASuccessEitherWay) {
  FederationStatusBook book;
  book.Succeeded("a.test", StreamDirection::kOutbound, kT0);
  book.Failed("a.test", StreamDirection::kOutbound, "connect", "refused",
              kT0 + absl::Seconds(1));
  book.Failed("a.test", StreamDirection::kInbound, "auth", "bad key",
              kT0 + absl::Seconds(2));
  PartnerFederationStatus failing = book.Of("a.test");
  EXPECT_EQ(failing.consecutive_failures, 2u);
  EXPECT_EQ(failing.last_failure_direction, "Inbound");
  EXPECT_EQ(failing.last_failure_step, "auth");
  EXPECT_EQ(failing.last_failure, "bad key");
  EXPECT_EQ(failing.last_failure_at, kT0 + absl::Seconds(2));
  EXPECT_EQ(failing.last_outbound_at, kT0);

  book.Succeeded("a.test", StreamDirection::kInbound, kT0 + absl::Seconds(3));
  PartnerFederationStatus working = book.Of("a.test");
  EXPECT_EQ(working.consecutive_failures, 0u);
  EXPECT_EQ(working.last_inbound_at, kT0 + absl::Seconds(3));
  // The last failure stays on record.
  EXPECT_EQ(working.last_failure_step, "auth");
}

TEST(FederationStatusBookTest, PruneForgetsRemovedPartners) {
  FederationStatusBook book;
  book.Failed("gone.test", StreamDirection::kOutbound, "dns", "NXDOMAIN", kT0);
  book.Prune(
      [](const std::string& identity) { return identity != "gone.test"; });
  EXPECT_FALSE(book.Of("gone.test").failing());
}

PartnerFederationStatus Named(const std::string& partner) {
  PartnerFederationStatus status;
  status.partner = partner;
  return status;
}

TEST(SortByTroubleTest, FailingFirstThenMoreFailuresThenOldestSuccess) {
  PartnerFederationStatus recent = Named("recent.test");
  recent.last_outbound_at = kT0 + absl::Hours(2);
  PartnerFederationStatus old = Named("old.test");
  old.last_inbound_at = kT0;
  PartnerFederationStatus never = Named("never.test");
  PartnerFederationStatus once = Named("once.test");
  once.consecutive_failures = 1;
  once.last_outbound_at = kT0 + absl::Hours(5);
  PartnerFederationStatus thrice = Named("thrice.test");
  thrice.consecutive_failures = 3;
  EXPECT_THAT(Order({recent, old, never, once, thrice}),
              ElementsAre("thrice.test", "once.test", "never.test", "old.test",
                          "recent.test"));
}

}  // namespace
}  // namespace xmppfed::edge
