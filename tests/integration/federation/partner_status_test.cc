// Federation status per partner (get-partner-status, and get-partner's
// read-only status object): what the edge saw of a partner that works, of
// one whose server refuses us, and of one never contacted, in the order of
// trouble; get-partner's output still imports again unchanged.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "tests/integration/federation/federation_fixture.h"

namespace xmppfed::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

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

  // partner.test removes example.test from its partners (its streams are
  // closed) and example.test's next message to it is refused.
  void PartnerStopsListingUs() {
    ASSERT_EQ(
        partner_.Cli({"remove-partner", "example.test", "--force"}).exit_code,
        0);
    example_.gateway->Send(
        "<message from='alice@example.test' to='bob@partner.test' id='r1'>"
        "<body>refused</body></message>");
    ASSERT_TRUE(WaitForLog(example_, "warning s2s.outbound.failed"))
        << example_.agent->Log();
  }

  // get-partner IDENTITY -o json on `site`: the status object of its one
  // partner.
  static JsonValue PartnerStatus(const Site& site,
                                 const std::string& identity) {
    CliResult result = site.Cli({"get-partner", identity, "-o", "json"});
    EXPECT_EQ(result.exit_code, 0) << result;
    JsonValue list;
    EXPECT_TRUE(ParseJson(result.out, &list)) << result;
    std::vector<JsonValue> partners = Elements(list);
    EXPECT_EQ(partners.size(), 1u) << result;
    if (partners.size() != 1 || !Has(partners[0], "status")) return {};
    return *Member(partners[0], "status");
  }

  // `verb` (import-partners or set-partner -) fed `input`: exit 0, and
  // every result "unchanged".
  static void ExpectUnchanged(const Site& site,
                              const std::vector<std::string>& verb,
                              const std::string& input) {
    std::vector<std::string> args = verb;
    args.insert(args.end(), {"-o", "ndjson"});
    CliResult result = RunCli(args, site.agent->socket_path(), input);
    ASSERT_EQ(result.exit_code, 0) << result;
    std::vector<JsonValue> rows;
    ASSERT_TRUE(ParseNdjson(result.out, &rows)) << result;
    ASSERT_FALSE(rows.empty()) << result;
    for (const JsonValue& row : rows) {
      EXPECT_EQ(Str(row, "status"), "unchanged") << ToJson(row);
    }
  }
};

// get-partner's status object after federation both ways, the round trip
// of its output through import-partners and set-partner - (the status is
// read-only, so nothing changes), and the same object once the partner
// refuses us.
TEST_F(PartnerStatusTest, GetPartnerCarriesTheStatusAndStillImportsUnchanged) {
  StartFederatedPair();
  ASSERT_FALSE(Relay(example_, partner_, "out").empty());
  ASSERT_FALSE(Relay(partner_, example_, "in").empty());

  JsonValue status = PartnerStatus(example_, "partner.test");
  ASSERT_TRUE(IsObject(status)) << ToJson(status);
  // Exactly these keys (their order: the unit test of the record).
  EXPECT_THAT(
      Keys(status),
      UnorderedElementsAre("lastInboundAt", "lastOutboundAt", "lastFailureAt",
                           "lastFailureStep", "lastFailure",
                           "consecutiveFailures", "liveStreams"));
  EXPECT_NE(Str(status, "lastOutboundAt"), "");
  EXPECT_NE(Str(status, "lastInboundAt"), "");
  EXPECT_EQ(Str(status, "lastFailureAt"), "");
  EXPECT_EQ(Num(status, "consecutiveFailures"), 0);
  // One XEP-0288 stream carries both ways.
  EXPECT_EQ(Num(status, "liveStreams"), 1);
  CliResult wide = example_.Cli({"get-partner", "-o", "wide"});
  EXPECT_THAT(wide.out, HasSubstr("Federation")) << wide;
  EXPECT_THAT(wide.out, HasSubstr("ok ")) << wide;
  CliResult csv = example_.Cli({"get-partner", "-o", "csv"});
  EXPECT_THAT(csv.out, Not(HasSubstr("status"))) << csv;

  CliResult json = example_.Cli({"get-partner", "-o", "json"});
  ASSERT_EQ(json.exit_code, 0) << json;
  CliResult ndjson = example_.Cli({"get-partner", "-o", "ndjson"});
  ASSERT_EQ(ndjson.exit_code, 0) << ndjson;
  ASSERT_THAT(ndjson.out, HasSubstr("\"status\":{")) << ndjson;
  ExpectUnchanged(example_,
                  {"import-partners", "--update", "--format", "json", "-"},
                  json.out);
  ExpectUnchanged(example_,
                  {"import-partners", "--update", "--format", "ndjson", "-"},
                  ndjson.out);
  ExpectUnchanged(example_, {"set-partner", "-", "--from-input"}, ndjson.out);
  CliResult what_if = RunCli({"import-partners", "--update", "--format", "json",
                              "-", "--what-if", "-o", "ndjson"},
                             example_.agent->socket_path(), json.out);
  ASSERT_EQ(what_if.exit_code, 0) << what_if;
  std::vector<JsonValue> previews;
  ASSERT_TRUE(ParseNdjson(what_if.out, &previews)) << what_if;
  for (const JsonValue& preview : previews) {
    ASSERT_TRUE(Has(preview, "changes")) << ToJson(preview);
    EXPECT_EQ(ToJson(*Member(preview, "changes")), "[]") << ToJson(preview);
  }
  CliResult after = example_.Cli({"get-partner", "-o", "csv"});
  EXPECT_EQ(after.out, csv.out) << "the round trips wrote nothing";

  // partner.test stops listing example.test: the next outbound stream is
  // refused, and get-partner says so.
  ASSERT_NO_FATAL_FAILURE(PartnerStopsListingUs());
  status = PartnerStatus(example_, "partner.test");
  EXPECT_GE(Num(status, "consecutiveFailures"), 1) << ToJson(status);
  EXPECT_EQ(Str(status, "lastFailureStep"), "stream");
  EXPECT_THAT(Str(status, "lastFailure"), HasSubstr("policy-violation"));
  EXPECT_NE(Str(status, "lastFailureAt"), "");
  EXPECT_NE(Str(status, "lastOutboundAt"), "");  // the success stays known
  wide = example_.Cli({"get-partner", "-o", "wide"});
  EXPECT_THAT(wide.out, HasSubstr("failing \u00d7")) << wide;
  EXPECT_THAT(wide.out, HasSubstr(": stream")) << wide;
}

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

  ASSERT_NO_FATAL_FAILURE(PartnerStopsListingUs());

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
