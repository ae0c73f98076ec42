// JSON text: escaping and layout.
#include "cli/output/json.h"

#include <gtest/gtest.h>

namespace xmppfed::cli {
namespace {

std::string Quoted(std::string_view text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

TEST(JsonTest, EscapesQuotesAndBackslashes) {
  EXPECT_EQ(Quoted(R"(say "hi" \o/)"), R"("say \"hi\" \\o/")");
}

TEST(JsonTest, EscapesControlCharacters) {
  EXPECT_EQ(Quoted("a\nb\tc\rd\be\ff"), R"("a\nb\tc\rd\be\ff")");
  EXPECT_EQ(Quoted(std::string("\x01\x1f\x7f", 3)), R"("\u0001\u001f\u007f")");
  EXPECT_EQ(Quoted(std::string("nul\0x", 5)), R"("nul\u0000x")");
}

TEST(JsonTest, PassesUtf8Through) {
  EXPECT_EQ(Quoted("bücher.example — 日本 😀"), "\"bücher.example — 日本 😀\"");
}

TEST(JsonTest, ReplacesInvalidUtf8) {
  EXPECT_EQ(Quoted("a\xff"
                   "b"),
            R"("a\ufffdb")");
  // Truncated sequence, overlong form, UTF-16 surrogate.
  EXPECT_EQ(Quoted("\xc3"), R"("\ufffd")");
  EXPECT_EQ(Quoted("\xc0\xaf"), R"("\ufffd\ufffd")");
  EXPECT_EQ(Quoted("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")");
}

Record Sample() {
  Record nested;
  nested.AddString("name", "api").AddString("address", "unix:/x");
  Record record;
  record.AddString("identity", "a.com")
      .AddStrings("additionalDomains", {"b.com", "c.com"})
      .AddStrings("none", {})
      .AddBool("enableKeepAlive", false)
      .AddUint("revision", 7)
      .AddInt("delta", -2)
      .AddRecords("listeners", {nested});
  return record;
}

TEST(JsonTest, CompactIsOneLineInKeyOrder) {
  EXPECT_EQ(CompactJson(Sample()),
            R"({"identity":"a.com","additionalDomains":["b.com","c.com"],)"
            R"("none":[],"enableKeepAlive":false,"revision":7,"delta":-2,)"
            R"("listeners":[{"name":"api","address":"unix:/x"}]})");
}

TEST(JsonTest, NullAndANestedObject) {
  Record caller;
  caller.AddUint("uid", 7).AddString("user", "alice");
  Record record;
  record.AddNull("old").AddNested("caller", std::move(caller));
  EXPECT_EQ(CompactJson(record),
            R"({"old":null,"caller":{"uid":7,"user":"alice"}})");
  EXPECT_EQ(PrettyJson(record), R"({
  "old": null,
  "caller": {
    "uid": 7,
    "user": "alice"
  }
})");
  // In table and CSV cells: nothing, and the nested values in a row.
  EXPECT_EQ(ValueText(*record.Find("old"), kCsvTextStyle), "");
  EXPECT_EQ(ValueText(*record.Find("caller"), kTableTextStyle), "7: alice");
}

TEST(JsonTest, PrettyUsesTwoSpaces) {
  EXPECT_EQ(PrettyJson(Sample()), R"({
  "identity": "a.com",
  "additionalDomains": [
    "b.com",
    "c.com"
  ],
  "none": [],
  "enableKeepAlive": false,
  "revision": 7,
  "delta": -2,
  "listeners": [
    {
      "name": "api",
      "address": "unix:/x"
    }
  ]
})");
  EXPECT_EQ(PrettyJson(Record()), "{}");
}

}  // namespace
}  // namespace xmppfed::cli
