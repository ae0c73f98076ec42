// Audit entries -> records: the spec's nested JSON shape (null for a value
// that did not exist), and the flat row of the table and CSV.
#include "cli/rpc/audit_records.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "cli/output/json.h"

namespace xmppfed::cli {
namespace {

v1::AuditEntry Entry() {
  v1::AuditEntry entry;
  entry.mutable_time()->set_seconds(1'800'000'000);
  entry.set_node("edge1");
  entry.mutable_caller()->set_uid(1001);
  entry.mutable_caller()->set_user("alice");
  entry.mutable_caller()->set_pid(4242);
  entry.mutable_caller()->set_role(v1::ROLE_ADMINISTRATOR);
  entry.set_verb("set-partner");
  entry.add_identities("fabrikam.com");
  v1::AuditChange* changed = entry.add_changes();
  changed->set_field("tlsNegotiation");
  changed->set_old_value("Required");
  changed->set_new_value("NotSupported");
  v1::AuditChange* added = entry.add_changes();
  added->set_field("description");
  added->set_new_value("new");
  entry.set_result(v1::AUDIT_RESULT_OK);
  return entry;
}

TEST(AuditRecordsTest, TheNestedFormIsTheSpecsShape) {
  EXPECT_EQ(CompactJson(AuditRecord(Entry())),
            R"({"time":"2027-01-15T08:00:00.000Z","node":"edge1",)"
            R"("caller":{"uid":1001,"user":"alice","pid":4242,)"
            R"("role":"Administrator"},"verb":"set-partner",)"
            R"("identities":["fabrikam.com"],)"
            R"("changes":[{"field":"tlsNegotiation","old":"Required",)"
            R"("new":"NotSupported"},)"
            R"({"field":"description","old":null,"new":"new"}],)"
            R"("result":"ok","error":""})");
}

TEST(AuditRecordsTest, TheFlatRowHasEveryLayoutKey) {
  Record row = AuditRow(Entry());
  ListLayout layout = AuditListLayout();
  std::vector<std::string> keys;
  for (const Field& field : row.fields) keys.push_back(field.key);
  EXPECT_EQ(keys, layout.keys);
  EXPECT_THAT(keys, ::testing::ElementsAre("time", "node", "user", "uid", "pid",
                                           "role", "verb", "identities",
                                           "changes", "result", "error"));
  EXPECT_EQ(ValueText(*row.Find("changes"), kCsvTextStyle),
            "tlsNegotiation: Required -> NotSupported;description: - -> new");
}

}  // namespace
}  // namespace xmppfed::cli
