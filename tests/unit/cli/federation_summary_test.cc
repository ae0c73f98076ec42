// get-partner's Federation column: failing before ok, ok with the age of
// the later success, a dash for a partner never seen.
#include "cli/rpc/federation_summary.h"

#include <gtest/gtest.h>

namespace xmppfed::cli {
namespace {

constexpr std::int64_t kNow = 1795568523;

TEST(FederationSummaryTest, NeverSeen) {
  EXPECT_EQ(FederationSummary(v1::PartnerFederationStatus(), kNow), "\u2014");
}

TEST(FederationSummaryTest, OkWithTheAgeOfTheLaterSuccess) {
  v1::PartnerFederationStatus status;
  status.mutable_last_inbound_at()->set_seconds(kNow - 3 * 3600);
  status.mutable_last_outbound_at()->set_seconds(kNow - 150);
  EXPECT_EQ(FederationSummary(status, kNow), "ok 2m ago");
  status.clear_last_outbound_at();
  EXPECT_EQ(FederationSummary(status, kNow), "ok 3h ago");
}

TEST(FederationSummaryTest, FailingNamesTheCountAndTheStep) {
  v1::PartnerFederationStatus status;
  status.mutable_last_outbound_at()->set_seconds(kNow - 10);
  status.set_consecutive_failures(3);
  status.set_last_failure_step("auth");
  EXPECT_EQ(FederationSummary(status, kNow), "failing \u00d73: auth");
  status.clear_last_failure_step();
  EXPECT_EQ(FederationSummary(status, kNow), "failing \u00d73");
}

TEST(FederationSummaryTest, AgesInTheLargestWholeUnit) {
  EXPECT_EQ(Ago(kNow, kNow), "0s ago");
  EXPECT_EQ(Ago(kNow + 5, kNow), "0s ago") << "a clock a little ahead";
  EXPECT_EQ(Ago(kNow - 59, kNow), "59s ago");
  EXPECT_EQ(Ago(kNow - 60, kNow), "1m ago");
  EXPECT_EQ(Ago(kNow - 3599, kNow), "59m ago");
  EXPECT_EQ(Ago(kNow - 86399, kNow), "23h ago");
  EXPECT_EQ(Ago(kNow - 3 * 86400, kNow), "3d ago");
}

}  // namespace
}  // namespace xmppfed::cli
