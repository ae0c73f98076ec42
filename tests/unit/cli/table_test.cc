// The human forms: Format-Table and Format-List.
#include "cli/output/table.h"

#include <gtest/gtest.h>

#include <sstream>

namespace xmppfed::cli {
namespace {

Record Row(std::string identity, std::string type, std::string description) {
  Record record;
  record.AddString("identity", identity)
      .AddString("partnerType", type)
      .AddString("description", description);
  return record;
}

std::vector<TableColumn> Columns(std::size_t description_width = 0) {
  return {{"identity", "Identity", 0},
          {"partnerType", "", 0},
          {"description", "Description", description_width}};
}

TEST(TableTest, AlignsColumnsUnderHeaderAndUnderline) {
  std::ostringstream out;
  TableWriter table(out, Columns());
  table.Write(Row("fabrikam.com", "Federated", "Fabrikam"));
  table.Write(Row("a.org", "PublicUnverified", ""));
  table.Finish();
  EXPECT_EQ(out.str(),
            "Identity     PartnerType      Description\n"
            "--------     -----------      -----------\n"
            "fabrikam.com Federated        Fabrikam\n"
            "a.org        PublicUnverified\n");
}

TEST(TableTest, ALineWidthCutsTheLastColumnOnly) {
  std::ostringstream out;
  TableWriter table(out, Columns(), 1000, 45);
  table.Write(Row("fabrikam.com", "Federated", "Fabrikam, a long one"));
  table.Write(Row("a.org", "PublicUnverified", "short"));
  table.Finish();
  EXPECT_EQ(out.str(),
            "Identity     PartnerType      Description\n"
            "--------     -----------      -----------\n"
            "fabrikam.com Federated        Fabrikam, a ...\n"
            "a.org        PublicUnverified short\n");
  // Rows after the widths are fixed are cut the same way.
  std::ostringstream streamed;
  TableWriter late(streamed, Columns(), 1, 45);
  late.Write(Row("a.org", "Federated", "x"));
  late.Write(Row("b.org", "Federated", "a description far too long"));
  late.Finish();
  EXPECT_NE(
      streamed.str().find("b.org    Federated   a description far too..."),
      std::string::npos)
      << streamed.str();
  for (std::size_t start = 0; start < streamed.str().size();) {
    std::size_t end = streamed.str().find('\n', start);
    EXPECT_LE(end - start, 45u) << streamed.str();
    start = end + 1;
  }
}

TEST(TableTest, TheLastColumnKeepsTenCharactersAtLeast) {
  std::ostringstream out;
  TableWriter table(out, Columns(), 1000, 20);
  table.Write(Row("fabrikam.com", "Federated", "Fabrikam, a long one"));
  table.Finish();
  EXPECT_NE(out.str().find("Federated   Fabrika...\n"), std::string::npos)
      << out.str();
}

TEST(TableTest, EmptyListPrintsNothing) {
  std::ostringstream out;
  TableWriter table(out, Columns());
  table.Finish();
  EXPECT_EQ(out.str(), "");
}

TEST(TableTest, TruncatesLongCellsToTheColumnLimit) {
  std::ostringstream out;
  TableWriter table(out, Columns(12));
  table.Write(Row("a.com", "Federated", "a rather long description"));
  table.Finish();
  EXPECT_EQ(out.str(),
            "Identity PartnerType Description\n"
            "-------- ----------- -----------\n"
            "a.com    Federated   a rather ...\n");
}

TEST(TableTest, MeasuresUtf8InCharactersAndCleansControls) {
  std::ostringstream out;
  TableWriter table(out, {{"identity", "Id", 0}, {"description", "D", 0}});
  table.Write(Row("bücher.de", "", "line\nbreak\x1b"));
  table.Write(Row("ab.de", "", "x"));
  table.Finish();
  EXPECT_EQ(out.str(),
            "Id        D\n"
            "--        -\n"
            "bücher.de line break?\n"
            "ab.de     x\n");
}

// A later, longer cell in a column without max_width is never cut: it pushes
// its row right instead.
TEST(TableTest, RowsAfterTheAlignmentWindowStreamAtFixedWidths) {
  std::ostringstream out;
  TableWriter table(out, {{"identity", "Id", 0}, {"description", "D", 0}},
                    /*alignment_rows=*/2);
  table.Write(Row("a.com", "", "1"));
  EXPECT_EQ(out.str(), "");  // still buffering
  table.Write(Row("bb.com", "", "2"));
  EXPECT_NE(out.str(), "");  // widths fixed, rows out
  table.Write(Row("much-longer.example", "", "3"));
  table.Finish();
  EXPECT_EQ(out.str(),
            "Id     D\n"
            "--     -\n"
            "a.com  1\n"
            "bb.com 2\n"
            "much-longer.example 3\n");
}

TEST(TableTest, TruncateKeepsWholeCharacters) {
  EXPECT_EQ(Truncate("abcdef", 6), "abcdef");
  EXPECT_EQ(Truncate("abcdefg", 6), "abc...");
  EXPECT_EQ(Truncate("ääääääää", 5), "ää...");
  EXPECT_EQ(Truncate("abcdef", 2), "..");
  EXPECT_EQ(DisplayWidth("日本"), 2u);
}

TEST(FormatListTest, AlignsLabelsAndJoinsLists) {
  Record record;
  record.AddString("identity", "a.com")
      .AddStrings("additionalDomains", {"b.com", "c.com"})
      .AddString("description", "")
      .AddBool("enableKeepAlive", true)
      .AddUint("connectionLimit", 0);
  EXPECT_EQ(FormatList(record),
            "Identity          : a.com\n"
            "AdditionalDomains : b.com, c.com\n"
            "Description       :\n"
            "EnableKeepAlive   : true\n"
            "ConnectionLimit   : 0\n");
}

TEST(FormatListTest, NestedRecordsOnePerLine) {
  Record api, s2s;
  api.AddString("name", "api").AddString("address", "unix:/run/a.sock");
  s2s.AddString("name", "s2s").AddString("address", "[::]:5269");
  Record record;
  record.AddString("version", "0.1.0").AddRecords("listeners", {api, s2s});
  EXPECT_EQ(FormatList(record),
            "Version   : 0.1.0\n"
            "Listeners : api: unix:/run/a.sock\n"
            "            s2s: [::]:5269\n");
}

}  // namespace
}  // namespace xmppfed::cli
