#include "agent/edge/dns/srv_order.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace xmppfed::edge::dns {

void PrintTo(const Target& target, std::ostream* out) {
  *out << target.host << ":" << target.port
       << (target.direct_tls ? " (direct TLS)" : "");
}

namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<std::string> Hosts(const std::vector<Target>& targets) {
  std::vector<std::string> hosts;
  for (const Target& target : targets) hosts.push_back(target.host);
  return hosts;
}

// How often each host comes first over `draws` orderings with one seeded
// engine, as a fraction of the draws.
std::map<std::string, double> FirstPickShares(
    const std::vector<SrvRecord>& records, int draws) {
  std::mt19937_64 rng(20260101);
  std::map<std::string, int> counts;
  for (int i = 0; i < draws; ++i) {
    absl::StatusOr<std::vector<Target>> ordered = OrderSrvRecords(records, rng);
    counts[ordered->front().host]++;
  }
  std::map<std::string, double> shares;
  for (const auto& [host, count] : counts) {
    shares[host] = static_cast<double>(count) / draws;
  }
  return shares;
}

TEST(OrderSrvRecordsTest, LowerPriorityComesFirst) {
  std::mt19937_64 rng(1);
  absl::StatusOr<std::vector<Target>> ordered =
      OrderSrvRecords({{"c.example", 5271, 30, 5},
                       {"a.example", 5269, 10, 5},
                       {"b.example", 5270, 20, 5}},
                      rng);
  ASSERT_TRUE(ordered.ok()) << ordered.status();
  EXPECT_THAT(*ordered,
              ElementsAre(Target{"a.example", 5269}, Target{"b.example", 5270},
                          Target{"c.example", 5271}));
}

TEST(OrderSrvRecordsTest, PriorityOutranksAnyWeight) {
  for (uint64_t seed = 0; seed < 50; ++seed) {
    std::mt19937_64 rng(seed);
    absl::StatusOr<std::vector<Target>> ordered = OrderSrvRecords(
        {{"heavy.example", 1, 20, 65535}, {"light.example", 2, 10, 0}}, rng);
    ASSERT_TRUE(ordered.ok());
    EXPECT_THAT(Hosts(*ordered), ElementsAre("light.example", "heavy.example"));
  }
}

TEST(OrderSrvRecordsTest, DropsTheTrailingDotOfTargets) {
  std::mt19937_64 rng(1);
  absl::StatusOr<std::vector<Target>> ordered =
      OrderSrvRecords({{"xmpp.example.", 5269, 0, 0}}, rng);
  ASSERT_TRUE(ordered.ok());
  EXPECT_THAT(*ordered, ElementsAre(Target{"xmpp.example", 5269}));
}

TEST(OrderSrvRecordsTest, NoRecordsIsAnEmptyListNotARefusal) {
  std::mt19937_64 rng(1);
  absl::StatusOr<std::vector<Target>> ordered = OrderSrvRecords({}, rng);
  ASSERT_TRUE(ordered.ok());
  EXPECT_THAT(*ordered, IsEmpty());
}

TEST(OrderSrvRecordsTest, ASingleDotTargetMeansNoService) {
  for (const char* root : {".", ""}) {  // "" is how c-ares spells the root.
    std::mt19937_64 rng(1);
    absl::StatusOr<std::vector<Target>> ordered =
        OrderSrvRecords({{root, 5269, 0, 0}}, rng);
    EXPECT_EQ(ordered.status().code(), absl::StatusCode::kNotFound);
    EXPECT_THAT(ordered.status().message(),
                HasSubstr("the domain says it offers no XMPP "
                          "server-to-server service"));
  }
}

TEST(OrderSrvRecordsTest, ADotTargetAmongOthersIsSkipped) {
  std::mt19937_64 rng(1);
  absl::StatusOr<std::vector<Target>> ordered =
      OrderSrvRecords({{".", 5269, 0, 0}, {"xmpp.example", 5269, 5, 0}}, rng);
  ASSERT_TRUE(ordered.ok());
  EXPECT_THAT(Hosts(*ordered), ElementsAre("xmpp.example"));
}

TEST(OrderSrvRecordsTest, AllZeroWeightsKeepTheGivenOrder) {
  for (uint64_t seed = 0; seed < 50; ++seed) {
    std::mt19937_64 rng(seed);
    absl::StatusOr<std::vector<Target>> ordered =
        OrderSrvRecords({{"one.example", 1, 10, 0},
                         {"two.example", 2, 10, 0},
                         {"three.example", 3, 10, 0}},
                        rng);
    ASSERT_TRUE(ordered.ok());
    EXPECT_THAT(Hosts(*ordered),
                ElementsAre("one.example", "two.example", "three.example"));
  }
}

TEST(OrderSrvRecordsTest, TheSameSeedGivesTheSameOrder) {
  const std::vector<SrvRecord> records = {{"a.example", 1, 10, 10},
                                          {"b.example", 2, 10, 20},
                                          {"c.example", 3, 10, 30},
                                          {"d.example", 4, 10, 40}};
  std::set<std::vector<std::string>> distinct;
  for (uint64_t seed = 0; seed < 30; ++seed) {
    std::mt19937_64 first(seed);
    std::mt19937_64 second(seed);
    absl::StatusOr<std::vector<Target>> a = OrderSrvRecords(records, first);
    absl::StatusOr<std::vector<Target>> b = OrderSrvRecords(records, second);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(*a, *b) << "seed " << seed;
    distinct.insert(Hosts(*a));
  }
  // ...while different seeds do spread the load.
  EXPECT_GT(distinct.size(), 3u);
}

TEST(OrderSrvRecordsTest, EveryRecordAppearsExactlyOnce) {
  std::mt19937_64 rng(7);
  absl::StatusOr<std::vector<Target>> ordered =
      OrderSrvRecords({{"a.example", 1, 10, 10},
                       {"b.example", 2, 10, 0},
                       {"c.example", 3, 20, 30},
                       {"d.example", 4, 20, 0}},
                      rng);
  ASSERT_TRUE(ordered.ok());
  ASSERT_EQ(ordered->size(), 4u);
  const std::vector<std::string> hosts = Hosts(*ordered);
  EXPECT_THAT(std::vector<std::string>(hosts.begin(), hosts.begin() + 2),
              ::testing::UnorderedElementsAre("a.example", "b.example"));
  EXPECT_THAT(std::vector<std::string>(hosts.begin() + 2, hosts.end()),
              ::testing::UnorderedElementsAre("c.example", "d.example"));
}

// RFC 2782: R is uniform over [0, 100] (101 values) and the running sums are
// 60, 90, 100, so the first pick is a/b/c with chance 61/101, 30/101, 10/101.
TEST(OrderSrvRecordsTest, FirstPicksFollowTheWeights) {
  std::map<std::string, double> shares =
      FirstPickShares({{"a.example", 1, 10, 60},
                       {"b.example", 2, 10, 30},
                       {"c.example", 3, 10, 10}},
                      20000);
  EXPECT_NEAR(shares["a.example"], 61.0 / 101, 0.02);
  EXPECT_NEAR(shares["b.example"], 30.0 / 101, 0.02);
  EXPECT_NEAR(shares["c.example"], 10.0 / 101, 0.02);
}

// A weight-0 record is listed first and chosen only when R is 0: chance
// 1/(sum+1), "a very small chance" as RFC 2782 asks, but not none.
TEST(OrderSrvRecordsTest, ZeroWeightHasASmallChanceBesideOthers) {
  std::map<std::string, double> shares = FirstPickShares(
      {{"weighted.example", 1, 10, 9}, {"zero.example", 2, 10, 0}}, 20000);
  EXPECT_NEAR(shares["zero.example"], 1.0 / 10, 0.015);
  EXPECT_NEAR(shares["weighted.example"], 9.0 / 10, 0.015);
}

// XEP-0368 §3: _xmpp-server and _xmpps-server records form one RFC 2782
// order; each target says which kind it is.
TEST(MergeServiceRecordsTest, PrioritiesOfBothServicesInterleave) {
  std::mt19937_64 rng(1);
  absl::StatusOr<std::vector<Target>> ordered = MergeServiceRecords(
      {{"plain1.example", 5269, 10, 0}, {"plain2.example", 5269, 30, 0}},
      {{"tls1.example", 5270, 5, 0}, {"tls2.example", 5270, 20, 0}}, rng);
  ASSERT_TRUE(ordered.ok()) << ordered.status();
  EXPECT_THAT(*ordered, ElementsAre(Target{"tls1.example", 5270, true},
                                    Target{"plain1.example", 5269, false},
                                    Target{"tls2.example", 5270, true},
                                    Target{"plain2.example", 5269, false}));
}

// Neither kind is preferred at equal priority: the weights decide, as if
// the records were one set (the operator chooses by publishing them).
TEST(MergeServiceRecordsTest, EqualPriorityIsDecidedByWeightAlone) {
  std::mt19937_64 rng(20260101);
  std::map<bool, int> first;  // direct_tls -> times first
  constexpr int kDraws = 4000;
  for (int i = 0; i < kDraws; ++i) {
    absl::StatusOr<std::vector<Target>> ordered =
        MergeServiceRecords({{"plain.example", 5269, 10, 30}},
                            {{"tls.example", 5270, 10, 10}}, rng);
    ASSERT_TRUE(ordered.ok());
    first[ordered->front().direct_tls]++;
  }
  // Weights 30 and 10: 75% and 25%, give or take the draw's noise.
  EXPECT_NEAR(first[false] / static_cast<double>(kDraws), 0.75, 0.04);
  EXPECT_NEAR(first[true] / static_cast<double>(kDraws), 0.25, 0.04);
}

TEST(MergeServiceRecordsTest, DirectTlsAloneIsEnough) {
  std::mt19937_64 rng(1);
  absl::StatusOr<std::vector<Target>> ordered =
      MergeServiceRecords({}, {{"tls.example.", 5270, 0, 0}}, rng);
  ASSERT_TRUE(ordered.ok()) << ordered.status();
  EXPECT_THAT(*ordered, ElementsAre(Target{"tls.example", 5270, true}));
}

// "." for xmpps-server says "no direct TLS": the STARTTLS records are used.
TEST(MergeServiceRecordsTest, ADotForDirectTlsLeavesStartTls) {
  std::mt19937_64 rng(1);
  absl::StatusOr<std::vector<Target>> ordered = MergeServiceRecords(
      {{"plain.example", 5269, 0, 0}}, {{".", 0, 0, 0}}, rng);
  ASSERT_TRUE(ordered.ok()) << ordered.status();
  EXPECT_THAT(*ordered, ElementsAre(Target{"plain.example", 5269, false}));
}

// XEP-0368 §5: a "." with nothing else is no service, and no A/AAAA
// fallback either.
TEST(MergeServiceRecordsTest, ADotAndNothingElseMeansNoService) {
  std::mt19937_64 rng(1);
  absl::StatusOr<std::vector<Target>> ordered =
      MergeServiceRecords({}, {{".", 0, 0, 0}}, rng);
  ASSERT_FALSE(ordered.ok());
  EXPECT_EQ(ordered.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(ordered.status().message(), HasSubstr("offers no XMPP"));
}

TEST(MergeServiceRecordsTest, NoRecordOfEitherIsAnEmptyList) {
  std::mt19937_64 rng(1);
  absl::StatusOr<std::vector<Target>> ordered =
      MergeServiceRecords({}, {}, rng);
  ASSERT_TRUE(ordered.ok());
  EXPECT_THAT(*ordered, IsEmpty());
}

}  // namespace
}  // namespace xmppfed::edge::dns
