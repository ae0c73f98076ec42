// get-audit-log's --since/--until: times in two forms, durations back from
// now, anything else refused.
#include "cli/rpc/time_arguments.h"

#include <gtest/gtest.h>

namespace xmppfed::cli {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

TEST(TimeArgumentsTest, DurationsCountBackFromNow) {
  EXPECT_EQ(ParseTimeArgument("30m", kNow), kNow - absl::Minutes(30));
  EXPECT_EQ(ParseTimeArgument("12h", kNow), kNow - absl::Hours(12));
  EXPECT_EQ(ParseTimeArgument("7d", kNow), kNow - absl::Hours(24 * 7));
  EXPECT_EQ(ParseTimeArgument("2w", kNow), kNow - absl::Hours(24 * 14));
  EXPECT_EQ(ParseTimeArgument("1d12h", kNow), kNow - absl::Hours(36));
  EXPECT_EQ(ParseTimeArgument("90s", kNow), kNow - absl::Seconds(90));
}

TEST(TimeArgumentsTest, MomentsAreRfc3339OrADateAtMidnightUtc) {
  EXPECT_EQ(ParseTimeArgument("2026-05-01", kNow),
            absl::FromCivil(absl::CivilDay(2026, 5, 1), absl::UTCTimeZone()));
  EXPECT_EQ(ParseTimeArgument("2026-05-01T08:00:00Z", kNow),
            absl::FromCivil(absl::CivilSecond(2026, 5, 1, 8, 0, 0),
                            absl::UTCTimeZone()));
  EXPECT_EQ(ParseTimeArgument("2026-05-01T10:00:00.5+02:00", kNow),
            absl::FromCivil(absl::CivilSecond(2026, 5, 1, 8, 0, 0),
                            absl::UTCTimeZone()) +
                absl::Milliseconds(500));
}

TEST(TimeArgumentsTest, AnythingElseIsNeither) {
  for (const char* bad : {"", "m", "30", "30x", "-5m", "yesterday",
                          "2026-13-01", "2026-05-01 08:00", "5m3"}) {
    EXPECT_FALSE(ParseTimeArgument(bad, kNow).has_value()) << bad;
  }
}

}  // namespace
}  // namespace xmppfed::cli
