// CSV text: RFC 4180 quoting, lists joined with ';'.
#include "cli/output/csv.h"

#include <gtest/gtest.h>

namespace xmppfed::cli {
namespace {

std::string Field(std::string_view text) {
  std::string out;
  AppendCsvField(out, text);
  return out;
}

TEST(CsvTest, PlainFieldsAreNotQuoted) {
  EXPECT_EQ(Field("fabrikam.com"), "fabrikam.com");
  EXPECT_EQ(Field(""), "");
  EXPECT_EQ(Field("bücher;a.b"), "bücher;a.b");
}

TEST(CsvTest, QuotesCommaQuoteAndLineBreaks) {
  EXPECT_EQ(Field("a,b"), "\"a,b\"");
  EXPECT_EQ(Field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(Field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(Field("cr\r"), "\"cr\r\"");
  EXPECT_EQ(Field(" padded "), "\" padded \"");
}

TEST(CsvTest, RowsFollowTheHeaderKeys) {
  Record record;
  record.AddString("identity", "a.com")
      .AddStrings("additionalDomains", {"b.com", "c.com"})
      .AddBool("enableKeepAlive", true)
      .AddUint("connectionLimit", 5)
      .AddString("description", "Contoso, Ltd.");
  std::vector<std::string> keys = {"identity",        "additionalDomains",
                                   "enableKeepAlive", "connectionLimit",
                                   "description",     "missing"};
  EXPECT_EQ(CsvHeader(keys),
            "identity,additionalDomains,enableKeepAlive,connectionLimit,"
            "description,missing\n");
  EXPECT_EQ(CsvRow(record, keys),
            "a.com,b.com;c.com,true,5,\"Contoso, Ltd.\",\n");
}

TEST(CsvTest, NestedRecordsAsNameEqualsValue) {
  Record api, s2s;
  api.AddString("name", "api").AddString("address", "unix:/a");
  s2s.AddString("name", "s2s").AddString("address", "[::]:5269");
  Record record;
  record.AddRecords("listeners", {api, s2s}).AddBool("off", false);
  EXPECT_EQ(CsvRow(record, {"listeners", "off"}),
            "api=unix:/a;s2s=[::]:5269,false\n");
}

}  // namespace
}  // namespace xmppfed::cli
