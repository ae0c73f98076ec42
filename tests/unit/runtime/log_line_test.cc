#include "agent/runtime/log_line.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace xmppfed::runtime {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

const absl::Time kTime = absl::FromUnixMillis(1764034413649);  // 2025-11-25

TEST(LogLineTest, TextLineHasTimeLevelEventAndDetails) {
  EXPECT_EQ(FormatLogLine({}, kTime, LogLevel::kInfo, "partner.created",
                          "identity=a.test revision=1"),
            "2025-11-25T01:33:33.649Z info partner.created identity=a.test "
            "revision=1\n");
}

TEST(LogLineTest, TextLineKeepsOneLineWhateverThePeerSent) {
  EXPECT_EQ(FormatLogLine({}, kTime, LogLevel::kWarning, "s2s.failed",
                          "reason=\"a\nb\tc\x01\""),
            "2025-11-25T01:33:33.649Z warning s2s.failed "
            "reason=\"a\\nb?c?\"\n");
}

TEST(LogLineTest, JournalLineStartsWithThePriorityAndLeavesTheTimeOut) {
  LogLineStyle journal{LogFormat::kText, true};
  EXPECT_EQ(FormatLogLine(journal, kTime, LogLevel::kWarning, "x.y", "a=1"),
            "<4>warning x.y a=1\n");
  EXPECT_EQ(FormatLogLine(journal, kTime, LogLevel::kNotice, "agent.ready", ""),
            "<5>notice agent.ready\n");
}

TEST(LogLineTest, SyslogPrioritiesFollowTheLevels) {
  EXPECT_EQ(SyslogPriority(LogLevel::kDebug), 7);
  EXPECT_EQ(SyslogPriority(LogLevel::kInfo), 6);
  EXPECT_EQ(SyslogPriority(LogLevel::kNotice), 5);
  EXPECT_EQ(SyslogPriority(LogLevel::kWarning), 4);
  EXPECT_EQ(SyslogPriority(LogLevel::kError), 3);
}

TEST(LogLineTest, JsonLineCarriesTheDetailsAsMembers) {
  LogLineStyle json{LogFormat::kJson, false};
  EXPECT_EQ(FormatLogLine(json, kTime, LogLevel::kInfo, "s2s.outbound.failed",
                          "id=2 reason=\"peer sent stream error "
                          "host-unknown (it's gone)\""),
            "{\"time\":\"2025-11-25T01:33:33.649Z\",\"level\":\"info\","
            "\"event\":\"s2s.outbound.failed\",\"id\":\"2\",\"reason\":\"peer "
            "sent stream error host-unknown (it's gone)\"}\n");
}

TEST(LogLineTest, JsonLineWithDetailsNotInKeyValueFormKeepsThemWhole) {
  LogLineStyle json{LogFormat::kJson, false};
  EXPECT_EQ(FormatLogLine(json, kTime, LogLevel::kError, "e", "not pairs"),
            "{\"time\":\"2025-11-25T01:33:33.649Z\",\"level\":\"error\","
            "\"event\":\"e\",\"details\":\"not pairs\"}\n");
  // A key that would hide one of the line's own members.
  EXPECT_EQ(FormatLogLine(json, kTime, LogLevel::kError, "e", "level=x"),
            "{\"time\":\"2025-11-25T01:33:33.649Z\",\"level\":\"error\","
            "\"event\":\"e\",\"details\":\"level=x\"}\n");
}

TEST(LogLineTest, JsonLineIsValidWhateverTheBytes) {
  LogLineStyle json{LogFormat::kJson, true};
  EXPECT_EQ(
      FormatLogLine(json, kTime, LogLevel::kDebug, "e",
                    "text=\"q\\\\ \x01 \xff \xc3\xa9\""),
      "<7>{\"time\":\"2025-11-25T01:33:33.649Z\",\"level\":\"debug\","
      "\"event\":\"e\",\"text\":\"q\\\\\\\\ \\u0001 \\ufffd \xc3\xa9\"}\n");
}

TEST(LogLineTest, DetailsParseAsKeyValuePairs) {
  EXPECT_THAT(*ParseLogDetails("a=1 b=\"two words\" c= d=x=y"),
              ElementsAre(Pair("a", "1"), Pair("b", "two words"), Pair("c", ""),
                          Pair("d", "x=y")));
  EXPECT_THAT(*ParseLogDetails(""), ElementsAre());
  EXPECT_FALSE(ParseLogDetails("word").has_value());
  EXPECT_FALSE(ParseLogDetails("a=\"unclosed").has_value());
  EXPECT_FALSE(ParseLogDetails("a=1  b=2").has_value());
  EXPECT_FALSE(ParseLogDetails("a=\"x\"y").has_value());
  EXPECT_FALSE(ParseLogDetails("a=1 ").has_value());
}

TEST(LogLevelTest, NamesParseBothWays) {
  for (std::size_t i = 0; i < kLogLevelNames.size(); ++i) {
    LogLevel level = static_cast<LogLevel>(i);
    EXPECT_EQ(ParseLogLevel(LogLevelName(level)), level);
  }
  EXPECT_FALSE(ParseLogLevel("Info").has_value());
  EXPECT_FALSE(ParseLogLevel("verbose").has_value());
  EXPECT_EQ(ParseLogFormat("json"), LogFormat::kJson);
  EXPECT_EQ(ParseLogFormat("text"), LogFormat::kText);
  EXPECT_FALSE(ParseLogFormat("xml").has_value());
}

}  // namespace
}  // namespace xmppfed::runtime
