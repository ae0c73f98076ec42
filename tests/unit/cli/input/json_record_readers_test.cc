// NDJSON and JSON-array records of import-partners, and the choice of reader
// (by name, by file extension, by the first character).
#include "cli/input/json_record_readers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <sstream>
#include <string>
#include <vector>

#include "cli/input/record_reader.h"

namespace xmppfed::cli {
namespace {

using ::testing::HasSubstr;

constexpr std::array<std::string_view, 2> kColumns = {"identity",
                                                      "description"};

struct Read {
  InputFormat format;
  std::vector<InputRecord> records;
  std::string fatal;
};

Read ReadAll(std::optional<InputFormat> format, const std::string& text) {
  std::istringstream in(text);
  auto reader = MakeRecordReader(format, in, kColumns);
  Read read{reader->format(), {}, {}};
  InputRecord record;
  while (reader->Next(&record)) read.records.push_back(record);
  read.fatal = reader->fatal_error();
  EXPECT_FALSE(reader->Next(&record));
  return read;
}

std::string Identity(const InputRecord& record) {
  const JsonValue* identity = record.object.Find("identity");
  return identity == nullptr ? "(absent)" : identity->text;
}

TEST(NdjsonReaderTest, OneObjectPerLineBlankLinesSkipped) {
  Read read = ReadAll(InputFormat::kNdjson,
                      "{\"identity\": \"a.com\"}\r\n\n   \n"
                      "{\"identity\": \"b.com\", \"connectionLimit\": 5}");
  ASSERT_EQ(read.fatal, "");
  ASSERT_EQ(read.records.size(), 2u);
  EXPECT_EQ(read.records[0].line, 1u);
  EXPECT_EQ(Identity(read.records[0]), "a.com");
  EXPECT_EQ(read.records[1].line, 4u);
  EXPECT_EQ(read.records[1].object.Find("connectionLimit")->text, "5");
}

TEST(NdjsonReaderTest, InvalidLineNamesItsColumnAndReadingGoesOn) {
  Read read = ReadAll(InputFormat::kNdjson,
                      "{\"identity\": \"a.com\"}\n"
                      "{\"identity\": \"b.com\",}\n"
                      "{\"identity\": \"c.com\"} {}\n"
                      "[\"d.com\"]\n"
                      "{\"identity\": \"e.com\"}\n");
  ASSERT_EQ(read.fatal, "");
  ASSERT_EQ(read.records.size(), 5u);
  EXPECT_EQ(read.records[1].line, 2u);
  EXPECT_EQ(read.records[1].error,
            "invalid JSON at column 22: expected a key in double quotes, "
            "found '}'");
  EXPECT_EQ(read.records[2].line, 3u);
  EXPECT_THAT(read.records[2].error,
              HasSubstr("invalid JSON at column 23: text after the object"));
  EXPECT_EQ(read.records[3].error, "expected a JSON object, found array");
  EXPECT_EQ(read.records[4].error, "");
  EXPECT_EQ(Identity(read.records[4]), "e.com");
}

TEST(NdjsonReaderTest, OverlongLineIsARecordError) {
  std::string text = "{\"identity\": \"" + std::string(kMaxRecordBytes, 'a') +
                     "\"}\n" + "{\"identity\": \"b.com\"}\n";
  Read read = ReadAll(InputFormat::kNdjson, text);
  ASSERT_EQ(read.records.size(), 2u);
  EXPECT_THAT(read.records[0].error, HasSubstr("longer than"));
  EXPECT_EQ(read.records[1].line, 2u);
  EXPECT_EQ(Identity(read.records[1]), "b.com");
}

TEST(JsonArrayReaderTest, StreamsEachElement) {
  Read read =
      ReadAll(InputFormat::kJson,
              "[\n  {\"identity\": \"a.com\"},\n"
              "  {\"identity\": \"b.com\",\n   \"description\": \"x\"},\n"
              "  {\"identity\": \"c.com\"}\n]\n");
  ASSERT_EQ(read.fatal, "");
  ASSERT_EQ(read.records.size(), 3u);
  EXPECT_EQ(read.records[0].line, 2u);
  EXPECT_EQ(read.records[1].line, 3u);
  EXPECT_EQ(read.records[1].object.Find("description")->text, "x");
  EXPECT_EQ(read.records[2].line, 5u);
  EXPECT_EQ(Identity(read.records[2]), "c.com");
}

TEST(JsonArrayReaderTest, ReadsOneElementAtATime) {
  std::string text = "[{\"identity\": \"a.com\"}, {\"identity\": \"b.com\"}]";
  std::istringstream in(text);
  auto reader = MakeRecordReader(InputFormat::kJson, in, kColumns);
  InputRecord record;
  ASSERT_TRUE(reader->Next(&record));
  EXPECT_EQ(Identity(record), "a.com");
  ASSERT_TRUE(reader->Next(&record));
  EXPECT_EQ(Identity(record), "b.com");
  EXPECT_FALSE(reader->Next(&record));
  EXPECT_EQ(reader->fatal_error(), "");
  EXPECT_EQ(reader->bytes_read(), text.size());
}

TEST(JsonArrayReaderTest, NonObjectElementIsARecordError) {
  Read read = ReadAll(InputFormat::kJson, "[\"a.com\", {\"identity\": \"b\"}]");
  ASSERT_EQ(read.records.size(), 2u);
  EXPECT_EQ(read.records[0].error, "expected a JSON object, found string");
  EXPECT_EQ(read.records[1].error, "");
}

TEST(JsonArrayReaderTest, SyntaxErrorsAreFatalWithLineAndColumn) {
  Read broken = ReadAll(InputFormat::kJson,
                        "[{\"identity\": \"a.com\"},\n {\"identity\" \"b\"}]");
  EXPECT_EQ(broken.records.size(), 1u);
  EXPECT_EQ(broken.fatal,
            "line 2, column 14: expected ':' after a key, found '\"'");

  Read unclosed = ReadAll(InputFormat::kJson, "[{\"identity\": \"a.com\"}");
  EXPECT_EQ(unclosed.records.size(), 1u);  // the whole element is kept
  EXPECT_EQ(unclosed.fatal,
            "line 1, column 23: expected ',' or ']' after an element");

  Read trailing = ReadAll(InputFormat::kJson, "[{\"identity\": \"a\"},]");
  EXPECT_THAT(trailing.fatal, HasSubstr("unexpected ']'"));

  Read after = ReadAll(InputFormat::kJson, "[] x");
  EXPECT_TRUE(after.records.empty());
  EXPECT_EQ(after.fatal, "line 1, column 4: text after the closing ']'");

  Read not_array = ReadAll(InputFormat::kJson, "{\"identity\": \"a\"}");
  EXPECT_THAT(not_array.fatal, HasSubstr("line 1, column 1: expected '['"));
}

TEST(JsonArrayReaderTest, EmptyArrayAndEmptyInput) {
  Read empty_array = ReadAll(InputFormat::kJson, " [ ] \n");
  EXPECT_TRUE(empty_array.records.empty());
  EXPECT_EQ(empty_array.fatal, "");
  Read empty = ReadAll(InputFormat::kJson, "");
  EXPECT_THAT(empty.fatal, HasSubstr("expected '['"));
  Read empty_ndjson = ReadAll(InputFormat::kNdjson, "");
  EXPECT_TRUE(empty_ndjson.records.empty());
  EXPECT_EQ(empty_ndjson.fatal, "");
}

TEST(InputFormatTest, NamesAndFileExtensions) {
  EXPECT_EQ(ParseInputFormat("csv"), InputFormat::kCsv);
  EXPECT_EQ(ParseInputFormat("ndjson"), InputFormat::kNdjson);
  EXPECT_EQ(ParseInputFormat("json"), InputFormat::kJson);
  EXPECT_EQ(ParseInputFormat("JSON"), std::nullopt);
  EXPECT_EQ(ParseInputFormat("xml"), std::nullopt);

  EXPECT_EQ(FormatFromFileName("partners.csv"), InputFormat::kCsv);
  EXPECT_EQ(FormatFromFileName("dir.v2/partners.CSV"), InputFormat::kCsv);
  EXPECT_EQ(FormatFromFileName("p.ndjson"), InputFormat::kNdjson);
  EXPECT_EQ(FormatFromFileName("p.JsonL"), InputFormat::kNdjson);
  EXPECT_EQ(FormatFromFileName("p.json"), InputFormat::kJson);
  EXPECT_EQ(FormatFromFileName("p.txt"), std::nullopt);
  EXPECT_EQ(FormatFromFileName("partners"), std::nullopt);
  EXPECT_EQ(FormatFromFileName("csv"), std::nullopt);
}

TEST(InputFormatTest, WithoutAFormatTheFirstCharacterDecides) {
  Read json = ReadAll(std::nullopt, "\n  [{\"identity\": \"a.com\"}]");
  EXPECT_EQ(json.format, InputFormat::kJson);
  ASSERT_EQ(json.records.size(), 1u);
  EXPECT_EQ(Identity(json.records[0]), "a.com");

  Read ndjson = ReadAll(std::nullopt, " {\"identity\": \"a.com\"}\n{}\n");
  EXPECT_EQ(ndjson.format, InputFormat::kNdjson);
  EXPECT_EQ(ndjson.records.size(), 2u);

  Read csv = ReadAll(std::nullopt, "identity\na.com\n");
  EXPECT_EQ(csv.format, InputFormat::kCsv);
  ASSERT_EQ(csv.records.size(), 1u);
  EXPECT_EQ(csv.records[0].object.Find("identity")->kind,
            JsonValue::Kind::kCsvCell);

  Read empty = ReadAll(std::nullopt, "");
  EXPECT_EQ(empty.format, InputFormat::kCsv);
  EXPECT_EQ(empty.fatal, "the input is empty; CSV needs a header row");
}

TEST(InputFormatTest, AGivenFormatWinsOverTheContent) {
  Read read = ReadAll(InputFormat::kNdjson, "[{\"identity\": \"a.com\"}]\n");
  EXPECT_EQ(read.format, InputFormat::kNdjson);
  ASSERT_EQ(read.records.size(), 1u);
  EXPECT_EQ(read.records[0].error, "expected a JSON object, found array");
}

TEST(JsonArrayReaderTest, InvalidUtf8AndHugeElementsCostOnlyTheirRecord) {
  Read read = ReadAll(InputFormat::kJson,
                      "[{\"identity\": \"a.com\", \"description\": \"\xff\"},\n"
                      " {\"identity\": \"b.com\", \"description\": \"" +
                          std::string(kMaxRecordBytes + 10, 'x') +
                          "\"},\n"
                          " {\"identity\": \"c.com\"}]");
  ASSERT_EQ(read.fatal, "");
  ASSERT_EQ(read.records.size(), 3u);
  EXPECT_EQ(Identity(read.records[0]), "a.com");
  EXPECT_THAT(read.records[0].error,
              HasSubstr("line 1, column 40: not valid UTF-8 (byte 0xFF)"));
  EXPECT_EQ(Identity(read.records[1]), "b.com");
  EXPECT_EQ(read.records[1].error, "the record is larger than " +
                                       std::to_string(kMaxRecordBytes) +
                                       " bytes");
  EXPECT_EQ(read.records[2].error, "");
  EXPECT_EQ(read.records[2].line, 3u);
}

TEST(NdjsonReaderTest, InvalidUtf8NamesTheFileLineAndColumn) {
  Read read = ReadAll(InputFormat::kNdjson,
                      "{\"identity\": \"a.com\"}\n"
                      "{\"identity\": \"b.com\", \"description\": \"\xc3(\"}\n"
                      "{\"identity\": \"c.com\"}\n");
  ASSERT_EQ(read.records.size(), 3u);
  EXPECT_EQ(Identity(read.records[1]), "b.com");
  EXPECT_EQ(read.records[1].error,
            "line 2, column 39: not valid UTF-8 (byte 0xC3); save the file as "
            "UTF-8");
  EXPECT_EQ(read.records[2].error, "");
}

}  // namespace
}  // namespace xmppfed::cli
