// Pipeline input in the CLI's terms: targets into requests, results into
// records, summaries into text and exit codes; and the bulk results shared
// with import-partners.
#include "cli/rpc/target_records.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "cli/exit_codes.h"
#include "cli/input/json_record_readers.h"
#include "cli/output/json.h"
#include "cli/rpc/bulk_results.h"
#include "cli/rpc/what_if.h"

namespace xmppfed::cli {
namespace {

using ::testing::ElementsAre;

InputTarget ObjectTarget(const std::string& json) {
  InputRecord record;
  ParseNdjsonLine(json, &record);
  EXPECT_EQ(record.error, "");
  InputTarget target;
  target.line = 7;
  target.object = record.object;
  if (const JsonValue* identity = record.object.Find("identity")) {
    target.identity = identity->text;
  }
  return target;
}

TEST(TargetRecordsTest, ABareIdentityIsTheWholeTarget) {
  InputTarget target;
  target.line = 3;
  target.identity = "Fabrikam.COM";
  v1::PartnerTarget sent = ToPartnerTarget(target, /*from_input=*/true);
  EXPECT_EQ(sent.line(), 3u);
  EXPECT_EQ(sent.identity(), "Fabrikam.COM");
  EXPECT_FALSE(sent.has_fields());
  EXPECT_EQ(sent.input_error(), "");
}

TEST(TargetRecordsTest, AnObjectsOtherKeysCountOnlyWithFromInput) {
  InputTarget target = ObjectTarget(
      R"({"identity":"a.com","tlsNegotiation":"optional","revision":4,)"
      R"("bogus":1})");
  v1::PartnerTarget ignored = ToPartnerTarget(target, /*from_input=*/false);
  EXPECT_EQ(ignored.identity(), "a.com");
  EXPECT_FALSE(ignored.has_fields());
  EXPECT_EQ(ignored.input_error(), "") << "other keys are ignored";

  v1::PartnerTarget refused = ToPartnerTarget(target, /*from_input=*/true);
  EXPECT_THAT(refused.input_error(),
              ::testing::HasSubstr("unknown key 'bogus'"));

  v1::PartnerTarget applied = ToPartnerTarget(
      ObjectTarget(R"({"identity":"a.com","tlsNegotiation":"optional",)"
                   R"("revision":4,"modifiedAt":"x"})"),
      /*from_input=*/true);
  EXPECT_EQ(applied.input_error(), "");
  ASSERT_TRUE(applied.fields().has_tls_negotiation());
  EXPECT_EQ(applied.fields().tls_negotiation(), v1::NEGOTIATION_OPTIONAL);
  EXPECT_EQ(applied.line(), 7u);
}

TEST(TargetRecordsTest, AnUnreadableTargetCarriesItsError) {
  InputTarget target;
  target.line = 2;
  target.error = "invalid JSON at column 3: expected a value";
  v1::PartnerTarget sent = ToPartnerTarget(target, /*from_input=*/false);
  EXPECT_EQ(sent.input_error(), target.error);
}

TEST(TargetRecordsTest, ResultsPrintTheImportKeysAndTheSpecsStatusNames) {
  v1::TargetResult result;
  result.set_line(4);
  result.set_identity("nope.com");
  result.set_status(v1::TARGET_STATUS_NOT_FOUND);
  result.set_error("identity=nope.com: no partner has this identity");
  EXPECT_EQ(CompactJson(TargetResultRecord(result)),
            R"({"line":4,"identity":"nope.com","status":"notFound",)"
            R"("error":"identity=nope.com: no partner has this identity"})");
  result.set_status(v1::TARGET_STATUS_REMOVED);
  result.clear_error();
  EXPECT_EQ(CompactJson(TargetResultRecord(result)),
            R"({"line":4,"identity":"nope.com","status":"removed"})");
  std::vector<std::string_view> names;
  for (int status = v1::TARGET_STATUS_UPDATED;
       status <= v1::TARGET_STATUS_REFUSED; ++status) {
    names.push_back(TargetStatusName(static_cast<v1::TargetStatus>(status)));
  }
  EXPECT_THAT(names, ElementsAre("updated", "unchanged", "removed", "found",
                                 "passed", "failed", "notFound", "refused"));
}

TEST(TargetRecordsTest, SummaryCountsAndExitCodes) {
  v1::TargetSummary summary;
  summary.set_removed(3);
  summary.set_not_found(1);
  const v1::TargetStatus statuses[] = {v1::TARGET_STATUS_REMOVED,
                                       v1::TARGET_STATUS_NOT_FOUND,
                                       v1::TARGET_STATUS_REFUSED};
  EXPECT_EQ(TargetCounts(summary, statuses),
            "3 removed, 1 not found, 0 refused");
  EXPECT_EQ(TargetsExitCode(summary), kExitNotFound);
  summary.set_refused(1);
  EXPECT_EQ(TargetsExitCode(summary), kExitPartial);
  v1::TargetSummary failed_check;
  failed_check.set_failed(1);
  EXPECT_EQ(TargetsExitCode(failed_check), kExitPartial);
  EXPECT_TRUE(AnyTargetFailed(failed_check));
  v1::TargetSummary fine;
  fine.set_updated(2);
  fine.set_unchanged(1);
  EXPECT_EQ(TargetsExitCode(fine), kExitOk);
  EXPECT_FALSE(AnyTargetFailed(fine));
}

TEST(BulkResultsTest, WarningsAreCountedOncePerText) {
  WarningTally tally;
  std::vector<std::string> one = {"Dialback will not operate."};
  tally.Add(one);
  tally.Add(one);
  tally.Add(std::vector<std::string>{"SASL requires TLS."});
  EXPECT_THAT(tally.Lines("target"),
              ElementsAre("2 targets: Dialback will not operate.",
                          "1 target: SASL requires TLS."));
}

TEST(BulkResultsTest, NameListShowsTenAndCountsTheRest) {
  std::vector<std::string> names = {"a", "b"};
  EXPECT_EQ(NameList(names), "a, b");
  EXPECT_EQ(NameList(names, 12), "a, b and 10 more");
  std::vector<std::string> twelve(12, "x");
  EXPECT_EQ(NameList(twelve), "x, x, x, x, x, x, x, x, x, x and 2 more");
}

}  // namespace
}  // namespace xmppfed::cli
