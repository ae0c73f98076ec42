// Federation status per partner (get-partner-status): what the edge saw of
// a partner that works, of one whose server refuses us, and of one never
// contacted, in the order of trouble.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "tests/integration/federation/federation_fixture.h"

namespace xmppfed::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class PartnerStatusTest : public FederationTest {
 protected:
  // get-partner-status -o json on `site`, in its order.
  std::vector<JsonValue> Statuses(const Site& site) {
    CliResult result = site.Cli({"get-partner-status", "-o", "json"});
    EXPECT_EQ(result.exit_code, 0) << result;
    JsonValue list;
    EXPECT_TRUE(ParseJson(result.out, &list)) << result;
    return Elements(list);
  }

  static std::vector<std::string> Order(const std::vector<JsonValue>& rows) {
    std::vector<std::string> partners;
    for (const JsonValue& row : rows) partners.push_back(Str(row, "partner"));
    return partners;
  }

  static const JsonValue* Find(const std::vector<JsonValue>& rows,
                               const std::string& partner) {
    for (const JsonValue& row : rows) {
      if (Str(row, "partner") == partner) return &row;
    }
    return nullptr;
  }
};

TEST_F(PartnerStatusTest, AWorkingPartnerThenOneThatNoLongerListsUs) {
  StartFederatedPair();
  ASSERT_EQ(example_
                .Cli({"new-partner", "idle.test", "--proxy-fqdn", "127.0.0.1:9",
                      "--quiet"})
                .exit_code,
            0);
  ASSERT_FALSE(Relay(example_, partner_, "out").empty());
  ASSERT_FALSE(Relay(partner_, example_, "in").empty());

  std::vector<JsonValue> working = Statuses(example_);
  const JsonValue* partner = Find(working, "partner.test");
  ASSERT_NE(partner, nullptr);
  EXPECT_NE(Str(*partner, "lastOutboundAt"), "");
  EXPECT_NE(Str(*partner, "lastInboundAt"), "");
  EXPECT_EQ(Num(*partner, "consecutiveFailures"), 0);
  // Both messages rode example.test's bidirectional stream: both ways
  // work, and the one stream is counted once.
  EXPECT_EQ(Num(*partner, "liveOutbound"), 1);
  EXPECT_EQ(Num(*partner, "liveInbound"), 0);
  // Never contacted: no success is older than none.
  EXPECT_THAT(Order(working), ElementsAre("idle.test", "partner.test"));

  // partner.test stops listing example.test: its streams are closed, and
  // the next one is refused.
  ASSERT_EQ(
      partner_.Cli({"remove-partner", "example.test", "--force"}).exit_code, 0);
  example_.gateway->Send(
      "<message from='alice@example.test' to='bob@partner.test' id='r1'>"
      "<body>refused</body></message>");
  ASSERT_TRUE(WaitForLog(example_, "warning s2s.outbound.failed"))
      << example_.agent->Log();

  std::vector<JsonValue> failing = Statuses(example_);
  partner = Find(failing, "partner.test");
  ASSERT_NE(partner, nullptr);
  EXPECT_GE(Num(*partner, "consecutiveFailures"), 1);
  EXPECT_EQ(Str(*partner, "lastFailureDirection"), "Outbound");
  EXPECT_EQ(Str(*partner, "lastFailureStep"), "stream");
  EXPECT_THAT(Str(*partner, "lastFailure"), HasSubstr("policy-violation"));
  EXPECT_THAT(Str(*partner, "lastFailure"),
              HasSubstr("is not a federation partner of partner.test"));
  EXPECT_NE(Str(*partner, "lastFailureAt"), "");
  EXPECT_NE(Str(*partner, "lastOutboundAt"), "");  // the success stays known
  EXPECT_THAT(Order(failing), ElementsAre("partner.test", "idle.test"));

  // One partner; the table names the failed step.
  CliResult one =
      example_.Cli({"get-partner-status", "--partner", "partner.test"});
  ASSERT_EQ(one.exit_code, 0) << one;
  EXPECT_THAT(one.out, HasSubstr("LastFailureStep"));
  EXPECT_THAT(one.out, HasSubstr("stream"));
  EXPECT_EQ(example_.Cli({"get-partner-status", "--partner", "nobody.test"})
                .exit_code,
            3)
      << "an unknown partner is not found";
}

}  // namespace
}  // namespace xmppfed::testing
