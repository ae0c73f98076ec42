// ParseJsonValue: strict RFC 8259, one value at a time, errors with line and
// column.
#include "cli/input/json_value.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace xmppfed::cli {
namespace {

using ::testing::HasSubstr;
using Kind = JsonValue::Kind;

std::optional<JsonValue> Parse(const std::string& text, std::string* error) {
  std::istringstream in(text);
  TextSource source(in);
  return ParseJsonValue(source, *error);
}

// The error for `text`, "" when it parses.
std::string ErrorOf(const std::string& text) {
  std::string error;
  Parse(text, &error);
  return error;
}

TEST(JsonValueTest, ParsesEveryKind) {
  std::string error;
  auto value = Parse(
      R"( {"s": "a\"b\\\/\n\t\u00e9", "n": -12.5e+3, "z": 0, "t": true,
           "f": false, "null": null, "a": [1, [], {}]} )",
      &error);
  ASSERT_TRUE(value) << error;
  ASSERT_EQ(value->kind, Kind::kObject);
  EXPECT_THAT(value->keys,
              ::testing::ElementsAre("s", "n", "z", "t", "f", "null", "a"));
  EXPECT_EQ(value->Find("s")->text, "a\"b\\/\n\té");
  EXPECT_EQ(value->Find("n")->kind, Kind::kNumber);
  EXPECT_EQ(value->Find("n")->text, "-12.5e+3");  // the literal, as written
  EXPECT_EQ(value->Find("z")->text, "0");
  EXPECT_TRUE(value->Find("t")->boolean);
  EXPECT_EQ(value->Find("f")->kind, Kind::kBool);
  EXPECT_FALSE(value->Find("f")->boolean);
  EXPECT_EQ(value->Find("null")->kind, Kind::kNull);
  const JsonValue* array = value->Find("a");
  ASSERT_EQ(array->items.size(), 3u);
  EXPECT_EQ(array->items[1].kind, Kind::kArray);
  EXPECT_EQ(array->items[2].kind, Kind::kObject);
  EXPECT_EQ(value->Find("missing"), nullptr);
}

TEST(JsonValueTest, SurrogatePairsBecomeOneCodePoint) {
  std::string error;
  auto value = Parse(R"("\ud83d\ude00")", &error);
  ASSERT_TRUE(value) << error;
  EXPECT_EQ(value->text, "😀");
  EXPECT_THAT(ErrorOf(R"("\ud83d")"), HasSubstr("without its low surrogate"));
  EXPECT_THAT(ErrorOf(R"("\ude00")"), HasSubstr("lone low surrogate"));
  EXPECT_THAT(ErrorOf(R"("\u12g4")"), HasSubstr("four hex digits"));
}

TEST(JsonValueTest, ParsesOneValueAndLeavesTheRest) {
  std::istringstream in("{} ,[1]");
  TextSource source(in);
  std::string error;
  ASSERT_TRUE(ParseJsonValue(source, error));
  SkipJsonSpace(source);
  EXPECT_EQ(source.Peek(), ',');
}

TEST(JsonValueTest, ErrorsNameLineAndColumn) {
  EXPECT_EQ(ErrorOf("{\n  \"a\": 1,\n  \"b\" 2}"),
            "line 3, column 7: expected ':' after a key, found '2'");
  EXPECT_EQ(ErrorOf("[1, 2,]"),
            "line 1, column 7: unexpected ']'; a value was expected");
  EXPECT_EQ(ErrorOf("{\"é\": x}"),
            "line 1, column 7: unexpected 'x'; a value was expected");
  EXPECT_EQ(ErrorOf(""),
            "line 1, column 1: unexpected end of input; a value was expected");
}

TEST(JsonValueTest, StrictSyntaxIsEnforced) {
  EXPECT_THAT(ErrorOf("{'a': 1}"),
              HasSubstr("expected a key in double quotes"));
  EXPECT_THAT(ErrorOf("{\"a\": 1,}"),
              HasSubstr("expected a key in double quotes"));
  EXPECT_THAT(ErrorOf("{\"a\": 1 \"b\": 2}"),
              HasSubstr("expected ',' or '}' after a member"));
  EXPECT_THAT(ErrorOf("[1 2]"),
              HasSubstr("expected ',' or ']' after an element"));
  EXPECT_THAT(ErrorOf("NaN"), HasSubstr("unexpected 'N'"));
  EXPECT_THAT(ErrorOf("tru"), HasSubstr("expected 'true'"));
  EXPECT_THAT(ErrorOf("-"), HasSubstr("invalid number"));
  EXPECT_THAT(ErrorOf("1."), HasSubstr("digits must follow '.'"));
  EXPECT_THAT(ErrorOf("1e"), HasSubstr("digits must follow 'e'"));
  EXPECT_THAT(ErrorOf("\"tab\there\""), HasSubstr("control character"));
  EXPECT_THAT(ErrorOf("\"open"), HasSubstr("unterminated string"));
  EXPECT_THAT(ErrorOf("\"\\x\""), HasSubstr("invalid escape \\'x'"));
  EXPECT_THAT(ErrorOf("// no\n1"), HasSubstr("unexpected '/'"));
  EXPECT_THAT(ErrorOf("\x01"), HasSubstr("byte 0x01"));
}

TEST(JsonValueTest, NestingIsBounded) {
  std::string ok(kMaxJsonDepth, '[');
  ok += std::string(kMaxJsonDepth, ']');
  EXPECT_EQ(ErrorOf(ok), "");
  std::string deep(kMaxJsonDepth + 1, '[');
  deep += std::string(kMaxJsonDepth + 1, ']');
  EXPECT_THAT(ErrorOf(deep), HasSubstr("nested too deeply"));
}

TEST(JsonValueTest, KindNamesForMessages) {
  EXPECT_EQ(KindName(Kind::kObject), "object");
  EXPECT_EQ(KindName(Kind::kArray), "array");
  EXPECT_EQ(KindName(Kind::kBool), "boolean");
  EXPECT_EQ(KindName(Kind::kCsvCell), "text");
}

// What ParseJsonValue with a limit and a problem slot returns.
struct Bounded {
  std::optional<JsonValue> value;
  std::string error;
  std::string problem;
  std::string rest;  // what is left in the source after the value
};

Bounded ParseBounded(const std::string& text, std::size_t max_bytes) {
  std::istringstream in(text);
  TextSource source(in);
  Bounded out;
  JsonValueProblem problem;
  out.value = ParseJsonValue(source, out.error, max_bytes, &problem);
  out.problem = problem.text;
  for (int c = source.Get(); c != TextSource::kEnd; c = source.Get()) {
    out.rest.push_back(static_cast<char>(c));
  }
  return out;
}

TEST(JsonValueTest, InvalidUtf8IsAnErrorWithItsPosition) {
  EXPECT_EQ(ErrorOf("{\"a\":\n \"x\xff\"}"),
            "line 2, column 4: not valid UTF-8 (byte 0xFF); save the file as "
            "UTF-8");
  // Overlong, truncated and surrogate sequences.
  EXPECT_THAT(ErrorOf("\"\xc0\xaf\""), HasSubstr("column 2: not valid UTF-8 "
                                                 "(byte 0xC0)"));
  EXPECT_THAT(ErrorOf("\"ab\xe2\x82\""), HasSubstr("column 4: not valid UTF-8 "
                                                   "(byte 0xE2)"));
  EXPECT_THAT(ErrorOf("\"\xed\xa0\x80\""), HasSubstr("(byte 0xED)"));
  EXPECT_THAT(ErrorOf("\"\x80\""), HasSubstr("(byte 0x80)"));
  EXPECT_EQ(ErrorOf("\"\xc3\xa9\xf0\x9f\x98\x80\""), "");
}

TEST(JsonValueTest, AProblemValueIsReadToItsEnd) {
  Bounded bad = ParseBounded("{\"a\": \"\xff\", \"b\": 1} tail", 1000);
  ASSERT_TRUE(bad.value.has_value()) << bad.error;
  EXPECT_THAT(bad.problem, HasSubstr("line 1, column 8: not valid UTF-8"));
  EXPECT_EQ(bad.value->Find("b")->text, "1");
  EXPECT_EQ(bad.rest, " tail");
}

TEST(JsonValueTest, ALimitBoundsWhatIsKept) {
  Bounded text = ParseBounded("\"" + std::string(100000, 'x') + "\",", 1000);
  ASSERT_TRUE(text.value.has_value()) << text.error;
  EXPECT_EQ(text.problem, "the record is larger than 1000 bytes");
  EXPECT_LE(text.value->text.size(), 1000u);
  EXPECT_EQ(text.rest, ",");

  std::string many = "[";
  for (int i = 0; i < 100000; ++i) many += i == 0 ? "1" : ",1";
  Bounded items = ParseBounded(many + "]", 1000);
  ASSERT_TRUE(items.value.has_value()) << items.error;
  EXPECT_EQ(items.problem, "the record is larger than 1000 bytes");
  EXPECT_LE(items.value->items.size() * sizeof(JsonValue), 1000u);

  Bounded fits = ParseBounded("{\"identity\": \"a.test\"}", 1000);
  EXPECT_EQ(fits.problem, "");
  EXPECT_EQ(fits.value->Find("identity")->text, "a.test");
}

}  // namespace
}  // namespace xmppfed::cli
