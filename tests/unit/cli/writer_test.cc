// The shapes of each -o format, for lists and single objects (SPEC §5).
#include "cli/output/writer.h"

#include <gtest/gtest.h>

#include <sstream>

namespace xmppfed::cli {
namespace {

Record Partner(std::string identity) {
  Record record;
  record.AddString("identity", identity)
      .AddStrings("additionalDomains", {})
      .AddBool("enableKeepAlive", true);
  return record;
}

ListLayout Layout() {
  return {{"identity", "additionalDomains", "enableKeepAlive"},
          {{"identity", "Identity", 0}, {"enableKeepAlive", "KeepAlive", 0}}};
}

std::string List(OutputFormat format, std::vector<Record> records) {
  std::ostringstream out;
  std::unique_ptr<RecordWriter> writer = MakeListWriter(format, out, Layout());
  for (const Record& record : records) writer->Write(record);
  writer->Finish();
  return out.str();
}

std::string Object(OutputFormat format, const Record& record) {
  std::ostringstream out;
  std::unique_ptr<RecordWriter> writer = MakeObjectWriter(format, out);
  writer->Write(record);
  writer->Finish();
  return out.str();
}

TEST(WriterTest, JsonListIsAnArrayEvenForOneOrNone) {
  EXPECT_EQ(List(OutputFormat::kJson, {}), "[]\n");
  EXPECT_EQ(List(OutputFormat::kJson, {Partner("a.com")}),
            "[\n"
            "  {\n"
            "    \"identity\": \"a.com\",\n"
            "    \"additionalDomains\": [],\n"
            "    \"enableKeepAlive\": true\n"
            "  }\n"
            "]\n");
  std::string two =
      List(OutputFormat::kJson, {Partner("a.com"), Partner("b.com")});
  EXPECT_TRUE(two.starts_with("[\n  {\n"));
  EXPECT_NE(two.find("true\n  },\n  {\n    \"identity\": \"b.com\""),
            std::string::npos);
  EXPECT_TRUE(two.ends_with("    \"enableKeepAlive\": true\n  }\n]\n"));
}

TEST(WriterTest, JsonObjectIsOneObject) {
  EXPECT_EQ(Object(OutputFormat::kJson, Partner("a.com")),
            "{\n"
            "  \"identity\": \"a.com\",\n"
            "  \"additionalDomains\": [],\n"
            "  \"enableKeepAlive\": true\n"
            "}\n");
}

TEST(WriterTest, NdjsonIsOneCompactObjectPerLine) {
  std::string expected =
      "{\"identity\":\"a.com\",\"additionalDomains\":[],"
      "\"enableKeepAlive\":true}\n"
      "{\"identity\":\"b.com\",\"additionalDomains\":[],"
      "\"enableKeepAlive\":true}\n";
  EXPECT_EQ(List(OutputFormat::kNdjson, {Partner("a.com"), Partner("b.com")}),
            expected);
  EXPECT_EQ(List(OutputFormat::kNdjson, {}), "");
  EXPECT_EQ(Object(OutputFormat::kNdjson, Partner("a.com")),
            expected.substr(0, expected.find('\n') + 1));
}

TEST(WriterTest, CsvHasAHeaderEvenWhenEmpty) {
  EXPECT_EQ(List(OutputFormat::kCsv, {}),
            "identity,additionalDomains,enableKeepAlive\n");
  EXPECT_EQ(List(OutputFormat::kCsv, {Partner("a.com")}),
            "identity,additionalDomains,enableKeepAlive\n"
            "a.com,,true\n");
  EXPECT_EQ(Object(OutputFormat::kCsv, Partner("a.com")),
            "identity,additionalDomains,enableKeepAlive\n"
            "a.com,,true\n");
}

TEST(WriterTest, TableListUsesTheLayoutColumns) {
  EXPECT_EQ(List(OutputFormat::kTable, {Partner("a.com")}),
            "Identity KeepAlive\n"
            "-------- ---------\n"
            "a.com    true\n");
}

TEST(WriterTest, TableObjectIsFormatList) {
  EXPECT_EQ(Object(OutputFormat::kTable, Partner("a.com")),
            "Identity          : a.com\n"
            "AdditionalDomains :\n"
            "EnableKeepAlive   : true\n");
}

// JSON, NDJSON and CSV write each record as it comes: nothing is held back
// for the end, so a listing of any length streams in bounded memory.
TEST(WriterTest, DataFormatsStreamEachRecordAtOnce) {
  for (OutputFormat format :
       {OutputFormat::kJson, OutputFormat::kNdjson, OutputFormat::kCsv}) {
    std::ostringstream out;
    std::unique_ptr<RecordWriter> writer =
        MakeListWriter(format, out, Layout());
    std::size_t before = out.str().size();
    for (int i = 0; i < 100; ++i) {
      writer->Write(Partner("p" + std::to_string(i) + ".example"));
      std::size_t now = out.str().size();
      ASSERT_GT(now, before) << "record " << i << " held back";
      before = now;
    }
    writer->Finish();
  }
}

}  // namespace
}  // namespace xmppfed::cli
