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

Read ReadCsv(const std::string& text, char delimiter = ',',
             std::size_t max_record_bytes = kMaxRecordBytes) {
  std::istringstream in(text);
  RecordReaderOptions options;
  options.csv_columns = kColumns;
  options.csv_delimiter = delimiter;
  options.max_record_bytes = max_record_bytes;
  auto reader = MakeRecordReader(InputFormat::kCsv, in, options);
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

TEST(CsvRecordReaderTest, QuotedFieldsAndTheLinesOfTheFile) {
  Read read = ReadCsv(
      "identity,description,additionalDomains\r\n"
      "a.com,\"Fabrikam, Inc.\",x.a.com;y.a.com\r\n"
      "b.com,\"say \"\"hi\"\"\non two lines\",\r\n"
      "\n"
      "c.com,,\"\"\n");
  ASSERT_EQ(read.fatal, "");
  ASSERT_EQ(read.records.size(), 3u);
  const InputRecord& a = read.records[0];
  EXPECT_EQ(a.line, 2u);  // the header is line 1
  EXPECT_EQ(a.error, "");
  EXPECT_EQ(a.object.kind, JsonValue::Kind::kObject);
  EXPECT_THAT(a.object.keys,
              ElementsAre("identity", "description", "additionalDomains"));
  EXPECT_EQ(Cell(a, "identity"), "a.com");
  EXPECT_EQ(Cell(a, "description"), "Fabrikam, Inc.");
  EXPECT_EQ(Cell(a, "additionalDomains"), "x.a.com;y.a.com");  // split later
  EXPECT_EQ(read.records[1].line, 3u);
  EXPECT_EQ(Cell(read.records[1], "description"), "say \"hi\"\non two lines");
  EXPECT_EQ(Cell(read.records[1], "additionalDomains"), "");
  // The quoted field spanned a line and a blank line was skipped.
  EXPECT_EQ(read.records[2].line, 6u);
  EXPECT_EQ(Cell(read.records[2], "description"), "");
  EXPECT_EQ(Cell(read.records[2], "additionalDomains"), "");
}

TEST(CsvRecordReaderTest, ByteOrderMarkAndLeadingBlankLinesAreSkipped) {
  Read read = ReadCsv("\xEF\xBB\xBF\n\nidentity\na.com");
  ASSERT_EQ(read.fatal, "");
  ASSERT_EQ(read.records.size(), 1u);
  EXPECT_EQ(read.records[0].line, 4u);
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
  EXPECT_EQ(read.records[0].line, 2u);
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

// As Windows PowerShell's Export-Csv writes it: a #TYPE line, PascalCase
// column names, every field quoted, CRLF.
TEST(CsvRecordReaderTest, PowerShellExportReadsAsIs) {
  Read read = ReadCsv(
      "#TYPE Microsoft.Rtc.Management.WritableConfig.Policy.Xmpp."
      "XmppAllowedPartner\r\n"
      "\"Identity\",\"Description\",\"PartnerType\"\r\n"
      "\"fabrikam.com\",\"Fabrikam; Inc.\",\"Federated\"\r\n");
  ASSERT_EQ(read.fatal, "");
  ASSERT_EQ(read.records.size(), 1u);
  EXPECT_EQ(read.records[0].line, 3u);
  EXPECT_THAT(read.records[0].object.keys,
              ElementsAre("identity", "description", "partnerType"));
  EXPECT_EQ(Cell(read.records[0], "description"), "Fabrikam; Inc.");
}

TEST(CsvRecordReaderTest, SemicolonAndTabDelimiters) {
  Read semicolons = ReadCsv(
      "identity;description;additionalDomains\n"
      "a.com;\"x;y\";b.com,c.com\n",
      ';');
  ASSERT_EQ(semicolons.fatal, "");
  ASSERT_EQ(semicolons.records.size(), 1u);
  EXPECT_EQ(Cell(semicolons.records[0], "description"), "x;y");
  EXPECT_EQ(Cell(semicolons.records[0], "additionalDomains"), "b.com,c.com");

  Read tabs = ReadCsv("IDENTITY\tdescription\na.com\tA, B\n", '\t');
  ASSERT_EQ(tabs.fatal, "");
  ASSERT_EQ(tabs.records.size(), 1u);
  EXPECT_EQ(Cell(tabs.records[0], "identity"), "a.com");
  EXPECT_EQ(Cell(tabs.records[0], "description"), "A, B");
}

TEST(CsvRecordReaderTest, AnUnsplitHeaderSuggestsTheDelimiter) {
  EXPECT_THAT(ReadCsv("Identity;Description\na.com;x\n").fatal,
              HasSubstr("unknown column 'Identity;Description'; the columns "
                        "are the JSON keys of a partner (any letter case): "
                        "identity, description, additionalDomains, "
                        "partnerType; the fields seem separated by ';': pass "
                        "--delimiter ;"));
  EXPECT_THAT(ReadCsv("identity\tdescription\n").fatal,
              HasSubstr("pass --delimiter tab"));
}

TEST(CsvRecordReaderTest, OnlyATypeLineMayPrecedeTheHeader) {
  EXPECT_THAT(ReadCsv("# partners\nidentity\na.com\n").fatal,
              HasSubstr("line 1: the header starts with '#'"));
}

TEST(CsvRecordReaderTest, Utf16IsNamedWithWhatToDo) {
  EXPECT_THAT(ReadCsv(std::string("\xFF\xFEi\0d\0", 6)).fatal,
              HasSubstr("line 1, column 1: the file is UTF-16, not UTF-8; "
                        "export it again with Export-Csv -Encoding UTF8"));
}

TEST(CsvRecordReaderTest, InvalidUtf8IsARecordErrorWithLineAndColumn) {
  Read read = ReadCsv(
      "identity,description\n"
      "a.com,ok\n"
      "b.com,x\xC3(\n"
      "c.com,\"\"\"q\"\" \x80\"\n"
      "d.com,fine\n");
  ASSERT_EQ(read.fatal, "");
  ASSERT_EQ(read.records.size(), 4u);
  EXPECT_EQ(read.records[0].error, "");
  EXPECT_EQ(read.records[1].error,
            "line 3, column 8: not valid UTF-8 (byte 0xC3); save the file as "
            "UTF-8");
  EXPECT_EQ(Cell(read.records[1], "identity"), "b.com");
  // Each doubled quote counts two columns.
  EXPECT_THAT(read.records[2].error,
              HasSubstr("line 4, column 14: not valid UTF-8 (byte 0x80)"));
  EXPECT_EQ(read.records[3].error, "");
}

// However long a row, the reader keeps at most the limit's bytes of it.
TEST(CsvRecordReaderTest, AHugeRowCostsOnlyTheLimit) {
  Read fields = ReadCsv(
      "identity,description\n" + std::string(100000, ',') + "\nb.com,x\n", ',',
      1000);
  ASSERT_EQ(fields.fatal, "");
  ASSERT_EQ(fields.records.size(), 2u);
  EXPECT_EQ(fields.records[0].error, "100001 fields; the header has 2");
  EXPECT_EQ(fields.records[0].object.items.size(), 2u);
  EXPECT_EQ(fields.records[1].error, "");

  Read field = ReadCsv("identity,description\na.com,\"" +
                           std::string(5000, 'x') + "\"\nb.com,y\n",
                       ',', 1000);
  ASSERT_EQ(field.fatal, "");
  ASSERT_EQ(field.records.size(), 2u);
  EXPECT_EQ(field.records[0].error, "the record is larger than 1000 bytes");
  EXPECT_LE(Cell(field.records[0], "description").size(), 1000u);
  EXPECT_EQ(Cell(field.records[1], "description"), "y");

  EXPECT_THAT(ReadCsv(std::string(100000, ','), ',', 1000).fatal,
              HasSubstr("line 1: the header is longer than any partner's "
                        "columns"));
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
