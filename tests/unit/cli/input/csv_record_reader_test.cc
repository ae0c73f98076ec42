// CSV records of import-partners (RFC 4180) through MakeRecordReader.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <sstream>
#include <string>
#include <vector>

#include "cli/input/record_reader.h"

namespace xmppfed::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr std::array<std::string_view, 4> kColumns = {
    "identity", "description", "additionalDomains", "partnerType"};

struct Read {
  std::vector<InputRecord> records;
  std::string fatal;
};

Read ReadCsv(const std::string& text) {
  std::istringstream in(text);
  auto reader = MakeRecordReader(InputFormat::kCsv, in, kColumns);
  EXPECT_EQ(reader->format(), InputFormat::kCsv);
  Read read;
  InputRecord record;
  while (reader->Next(&record)) read.records.push_back(record);
  read.fatal = reader->fatal_error();
  EXPECT_FALSE(reader->Next(&record));  // stays at the end
  return read;
}

std::string Cell(const InputRecord& record, std::string_view key) {
  const JsonValue* cell = record.object.Find(key);
  EXPECT_NE(cell, nullptr) << key;
  if (cell == nullptr) return "(absent)";
  EXPECT_EQ(cell->kind, JsonValue::Kind::kCsvCell);
  return cell->text;
}

TEST(CsvRecordReaderTest, QuotedFieldsAndLinesWithoutTheHeader) {
  Read read = ReadCsv(
      "identity,description,additionalDomains\r\n"
      "a.com,\"Fabrikam, Inc.\",x.a.com;y.a.com\r\n"
      "b.com,\"say \"\"hi\"\"\non two lines\",\r\n"
      "\n"
      "c.com,,\"\"\n");
  ASSERT_EQ(read.fatal, "");
  ASSERT_EQ(read.records.size(), 3u);
  const InputRecord& a = read.records[0];
  EXPECT_EQ(a.line, 1u);
  EXPECT_EQ(a.error, "");
  EXPECT_EQ(a.object.kind, JsonValue::Kind::kObject);
  EXPECT_THAT(a.object.keys,
              ElementsAre("identity", "description", "additionalDomains"));
  EXPECT_EQ(Cell(a, "identity"), "a.com");
  EXPECT_EQ(Cell(a, "description"), "Fabrikam, Inc.");
  EXPECT_EQ(Cell(a, "additionalDomains"), "x.a.com;y.a.com");  // split later
  EXPECT_EQ(read.records[1].line, 2u);
  EXPECT_EQ(Cell(read.records[1], "description"), "say \"hi\"\non two lines");
  EXPECT_EQ(Cell(read.records[1], "additionalDomains"), "");
  // The quoted field spanned a line and a blank line was skipped.
  EXPECT_EQ(read.records[2].line, 5u);
  EXPECT_EQ(Cell(read.records[2], "description"), "");
  EXPECT_EQ(Cell(read.records[2], "additionalDomains"), "");
}

TEST(CsvRecordReaderTest, ByteOrderMarkAndLeadingBlankLinesAreSkipped) {
  Read read = ReadCsv("\xEF\xBB\xBF\n\nidentity\na.com");
  ASSERT_EQ(read.fatal, "");
  ASSERT_EQ(read.records.size(), 1u);
  EXPECT_EQ(read.records[0].line, 1u);
  EXPECT_EQ(Cell(read.records[0], "identity"), "a.com");
}

TEST(CsvRecordReaderTest, UnknownColumnIsFatalAndNamed) {
  Read read = ReadCsv("identity,colour\na.com,red\n");
  EXPECT_TRUE(read.records.empty());
  EXPECT_THAT(read.fatal, HasSubstr("line 1: unknown column 'colour'"));
  EXPECT_THAT(read.fatal,
              HasSubstr("identity, description, additionalDomains"));
}

TEST(CsvRecordReaderTest, HeaderNeedsIdentityOnceEach) {
  EXPECT_EQ(ReadCsv("description\nx\n").fatal, "line 1: no 'identity' column");
  EXPECT_EQ(ReadCsv("identity,identity\n").fatal,
            "line 1: column 'identity' appears twice");
  EXPECT_THAT(
      ReadCsv("identity,\"descr\"iption\n").fatal,
      HasSubstr("line 1: header: column 17: text after a closing quote"));
}

TEST(CsvRecordReaderTest, EmptyInputNeedsAHeader) {
  EXPECT_EQ(ReadCsv("").fatal, "the input is empty; CSV needs a header row");
  EXPECT_EQ(ReadCsv("\n\r\n").fatal,
            "the input is empty; CSV needs a header row");
  Read header_only = ReadCsv("identity\n");
  EXPECT_EQ(header_only.fatal, "");
  EXPECT_TRUE(header_only.records.empty());
}

TEST(CsvRecordReaderTest, UnclosedQuoteIsFatalAndNamesWhereItOpened) {
  Read read = ReadCsv("identity,description\na.com,ok\nb.com,\"never closed\n");
  ASSERT_EQ(read.records.size(), 1u);  // the rows before it are read
  EXPECT_EQ(read.fatal, "line 3, column 7: a quoted field is never closed");
}

TEST(CsvRecordReaderTest, StrayQuotesMakeTheRowAnErrorNamingTheColumn) {
  Read read = ReadCsv(
      "identity,description\n"
      "a.com,say \"hi\"\n"
      "b.com,\"quoted\"tail\n"
      "c.com,fine\n");
  ASSERT_EQ(read.fatal, "");
  ASSERT_EQ(read.records.size(), 3u);
  EXPECT_EQ(read.records[0].line, 1u);
  EXPECT_THAT(read.records[0].error,
              HasSubstr("column 11: a quote inside an unquoted field"));
  EXPECT_EQ(Cell(read.records[0], "identity"), "a.com");  // still named
  EXPECT_THAT(read.records[1].error,
              HasSubstr("column 15: text after a closing quote"));
  EXPECT_EQ(Cell(read.records[1], "description"), "quotedtail");
  EXPECT_EQ(read.records[2].error, "");
}

TEST(CsvRecordReaderTest, WrongNumberOfFieldsIsARecordError) {
  Read read = ReadCsv("identity,description\na.com\nb.com,x,extra\nc.com,y\n");
  ASSERT_EQ(read.fatal, "");
  ASSERT_EQ(read.records.size(), 3u);
  EXPECT_EQ(read.records[0].error, "1 fields; the header has 2");
  EXPECT_EQ(Cell(read.records[0], "identity"), "a.com");
  EXPECT_EQ(read.records[1].error, "3 fields; the header has 2");
  EXPECT_EQ(read.records[2].error, "");
}

TEST(CsvRecordReaderTest, BytesReadFollowsTheInput) {
  std::string text = "identity\na.com\nb.com\n";
  std::istringstream in(text);
  auto reader = MakeRecordReader(InputFormat::kCsv, in, kColumns);
  InputRecord record;
  ASSERT_TRUE(reader->Next(&record));
  EXPECT_EQ(reader->bytes_read(), std::string("identity\na.com\n").size());
  ASSERT_TRUE(reader->Next(&record));
  EXPECT_FALSE(reader->Next(&record));
  EXPECT_EQ(reader->bytes_read(), text.size());
}

}  // namespace
}  // namespace xmppfed::cli
