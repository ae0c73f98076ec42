#include "agent/config/toml_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

namespace xmppfed::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

absl::StatusOr<std::vector<TomlEntry>> Parse(const std::string& text) {
  std::istringstream in(text);
  return ParseToml(in, "agent.toml");
}

// The error message of `text`, which must not parse.
std::string ErrorOf(const std::string& text) {
  absl::StatusOr<std::vector<TomlEntry>> parsed = Parse(text);
  EXPECT_FALSE(parsed.ok()) << text;
  if (parsed.ok()) return "";
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(parsed.status().message());
}

TEST(TomlFileTest, ReadsTheValuesTheAgentUsesWithTheirLines) {
  absl::StatusOr<std::vector<TomlEntry>> parsed = Parse(
      "# the agent\n"
      "socket = \"/run/x/agent.sock\"   # trailing comment\n"
      "\n"
      "store = 'sqlite:C:\\no\\escapes'\n"
      "domain = [\n"
      "  \"example.com\",  # first\n"
      "  \"b\\u00fccher.example\",\n"
      "]\n"
      "limit = 1_000\n"
      "flag = true\r\n"
      "empty = []\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->size(), 6u);
  const std::vector<TomlEntry>& e = *parsed;
  EXPECT_EQ(e[0].key, "socket");
  EXPECT_THAT(e[0].values, ElementsAre("/run/x/agent.sock"));
  EXPECT_FALSE(e[0].is_array);
  EXPECT_EQ(e[0].line, 2);
  EXPECT_THAT(e[1].values, ElementsAre("sqlite:C:\\no\\escapes"));
  EXPECT_EQ(e[1].line, 4);
  EXPECT_EQ(e[2].key, "domain");
  EXPECT_TRUE(e[2].is_array);
  EXPECT_THAT(e[2].values, ElementsAre("example.com",
                                       "b\xc3\xbc"
                                       "cher.example"));
  EXPECT_EQ(e[2].line, 5);
  EXPECT_THAT(e[3].values, ElementsAre("1000"));
  EXPECT_EQ(e[3].line, 9);
  EXPECT_THAT(e[4].values, ElementsAre("true"));
  EXPECT_TRUE(e[5].is_array);
  EXPECT_TRUE(e[5].values.empty());
  EXPECT_EQ(e[5].line, 11);
}

TEST(TomlFileTest, EveryMistakeNamesTheFileAndTheLine) {
  EXPECT_THAT(ErrorOf("a = \"x\"\n[server]\nb = 1\n"),
              HasSubstr("agent.toml:2: tables ([section]) are not used"));
  EXPECT_THAT(ErrorOf("\nlog.level = \"x\"\n"),
              HasSubstr("agent.toml:2: dotted keys"));
  EXPECT_THAT(ErrorOf("socket \"x\"\n"),
              HasSubstr("agent.toml:1: expected '=' after the key socket"));
  EXPECT_THAT(ErrorOf("socket = \"x\n"),
              HasSubstr("agent.toml:1: a string is not closed"));
  EXPECT_THAT(ErrorOf("socket = 'x\n"),
              HasSubstr("agent.toml:1: a string is not closed"));
  EXPECT_THAT(ErrorOf("a = 1\n\n\nsocket = /run/x\n"),
              HasSubstr("agent.toml:4: '/run/x' is not a TOML value"));
  EXPECT_THAT(ErrorOf("a = 1\nlog-level = debug\n"),
              HasSubstr("agent.toml:2: 'debug' is not a TOML value; text goes "
                        "in double quotes: \"debug\""));
  EXPECT_THAT(ErrorOf("socket =\n"), HasSubstr("agent.toml:1: a value is "
                                               "missing"));
  EXPECT_THAT(ErrorOf("a = \"x\" b = 2\n"),
              HasSubstr("agent.toml:1: unexpected text after the value of a"));
  EXPECT_THAT(ErrorOf("a = \"x\"\na = \"y\"\n"),
              HasSubstr("agent.toml:2: the key a is given twice"));
  EXPECT_THAT(ErrorOf("domain = [\"a\",\n\"b\"\n"),
              HasSubstr("agent.toml:3: an array is not closed"));
  EXPECT_THAT(ErrorOf("domain = [\"a\" \"b\"]\n"),
              HasSubstr("agent.toml:1: expected ',' or ']'"));
  EXPECT_THAT(ErrorOf("a = \"C:\\path\"\n"),
              HasSubstr("agent.toml:1: unknown escape \\p"));
  EXPECT_THAT(ErrorOf("a = \"\\uD800\"\n"),
              HasSubstr("agent.toml:1: a \\u escape names no Unicode"));
  EXPECT_THAT(ErrorOf("= 1\n"), HasSubstr("agent.toml:1: expected a key"));
  EXPECT_THAT(ErrorOf("a = 1\nb = \"\xff\"\n"),
              HasSubstr("agent.toml:2: not UTF-8 text"));
}

TEST(TomlFileTest, AMissingFileNamesIt) {
  absl::StatusOr<std::vector<TomlEntry>> read =
      ReadTomlFile("/nonexistent/agent.toml");
  ASSERT_FALSE(read.ok());
  EXPECT_THAT(std::string(read.status().message()),
              HasSubstr("/nonexistent/agent.toml: cannot read the file"));
}

}  // namespace
}  // namespace xmppfed::config
