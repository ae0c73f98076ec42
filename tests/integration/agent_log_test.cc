// The agent's log as an operator reads it: levels (--log-level), the JSON
// form (--log-format json), a log file (--log-file), syslog priorities when
// standard error is the systemd journal, and the warnings at start about a
// setup that cannot work.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>
#include <vector>

#include "tests/integration/agent_fixture.h"
#include "tests/support/agent_process.h"
#include "tests/support/cli.h"
#include "tests/support/json.h"
#include "tests/support/temp_dir.h"

namespace xmppfed::testing {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

TEST(AgentLogTest, JsonFormatWritesOneObjectPerEvent) {
  TempDir dir("log");
  AgentProcess agent(dir.path(),
                     {"--domain", "example.test", "--log-format", "json"});
  ASSERT_TRUE(agent.Start());
  CliResult created = RunCli({"new-partner", "a.test"}, agent.socket_path());
  ASSERT_EQ(created.exit_code, 0) << created;
  ASSERT_TRUE(agent.WaitForLog("partner.created")) << agent.Log();
  ASSERT_EQ(agent.Terminate().code, 0);

  bool found = false;
  for (const std::string& line : Lines(agent.Log())) {
    JsonValue event;
    ASSERT_TRUE(ParseJson(line, &event)) << line;
    ASSERT_TRUE(IsObject(event)) << line;
    EXPECT_THAT(Str(event, "time"), AllOf(StartsWith("20"), HasSubstr("Z")));
    if (Str(event, "event") == "partner.created") {
      found = true;
      EXPECT_EQ(Str(event, "level"), "notice");
      EXPECT_EQ(Str(event, "identity"), "a.test");
      EXPECT_EQ(Str(event, "revision"), "1");
    }
  }
  EXPECT_TRUE(found) << agent.Log();
}

TEST(AgentLogTest, LevelWarningDropsTheLinesBelowIt) {
  TempDir dir("log");
  // No --domain: the setup warning is logged at warning.
  AgentProcess agent(dir.path(), {"--log-level", "warning"});
  ASSERT_TRUE(agent.Start());
  CliResult created = RunCli({"new-partner", "a.test"}, agent.socket_path());
  ASSERT_EQ(created.exit_code, 0) << created;
  ASSERT_EQ(agent.Terminate().code, 0);
  std::string log = agent.Log();
  EXPECT_THAT(log, HasSubstr(" warning agent.setup.warning problem=\"no local "
                             "domain (--domain)"));
  EXPECT_THAT(log, Not(HasSubstr("agent.ready")));
  EXPECT_THAT(log, Not(HasSubstr("partner.created")));
}

TEST(AgentLogTest, TheJournalGetsPrioritiesAndNoTime) {
  TempDir dir("log");
  AgentProcess agent(dir.path(), {"--domain", "example.test"});
  // As systemd sets it: the device and inode of the agent's stderr.
  dir.WriteFile("agent.log", "");
  struct stat info;
  ASSERT_EQ(::stat(agent.log_path().c_str(), &info), 0);
  agent.SetEnvironment("JOURNAL_STREAM", std::to_string(info.st_dev) + ":" +
                                             std::to_string(info.st_ino));
  ASSERT_TRUE(agent.Start());
  ASSERT_EQ(agent.Terminate().code, 0);
  std::vector<std::string> lines = Lines(agent.Log());
  EXPECT_THAT(lines, Contains(StartsWith("<5>notice agent.ready version=")));
  EXPECT_THAT(lines, Contains("<5>notice agent.stopped"));
}

TEST(AgentLogTest, AJournalStreamOfAnotherFileIsNotTheJournal) {
  TempDir dir("log");
  AgentProcess agent(dir.path(), {"--domain", "example.test"});
  agent.SetEnvironment("JOURNAL_STREAM", "1:1");
  ASSERT_TRUE(agent.Start());
  ASSERT_EQ(agent.Terminate().code, 0);
  EXPECT_THAT(Lines(agent.Log()), Contains(StartsWith("20")));
  EXPECT_THAT(agent.Log(), Not(HasSubstr("<5>")));
}

TEST(AgentLogTest, LogFileTakesTheLinesInsteadOfStandardError) {
  TempDir dir("log");
  std::string file = dir.File("xmppfed.log");
  AgentProcess agent(dir.path(),
                     {"--domain", "example.test", "--log-file", file});
  ASSERT_TRUE(agent.Start());
  ASSERT_EQ(agent.Terminate().code, 0);
  EXPECT_THAT(ReadFileOrEmpty(file), HasSubstr(" notice agent.ready "));
  EXPECT_THAT(ReadFileOrEmpty(file), HasSubstr(" notice agent.stopped"));
  EXPECT_EQ(agent.Log(), "");
}

TEST(AgentLogTest, AnUnwritableLogFileIsAConfigurationError) {
  TempDir dir("log");
  AgentProcess agent(dir.path(), {"--log-file", dir.File("no/such/dir.log")});
  EXPECT_FALSE(agent.Start());
  EXPECT_THAT(agent.Log(), HasSubstr("log-file=" + dir.File("no/such/dir.log") +
                                     ": cannot open it"));
}

class SetupWarningTest : public AgentTest {
 protected:
  std::vector<std::string> ExtraAgentArgs() const override {
    return {"--domain", "example.test"};
  }
};

TEST_F(SetupWarningTest, AnS2sListenerWithoutCertificateNamesThePartners) {
  NewPartner("a.test");  // tlsNegotiation Required by default
  NewPartner("b.test", {"--tls-negotiation", "Optional", "--sasl-negotiation",
                        "NotSupported"});
  ASSERT_EQ(agent_->Terminate().code, 0);
  EXPECT_THAT(agent_->Log(), Not(HasSubstr("agent.setup.warning")));

  agent_->ReplaceArgs({"--socket", agent_->socket_path(), "--store",
                       agent_->store_uri(), "--domain", "example.test",
                       "--s2s-listen", "127.0.0.1:0", "--component-listen",
                       "off"});
  ASSERT_TRUE(agent_->Start());
  EXPECT_TRUE(agent_->WaitForLog(
      "warning agent.setup.warning problem=\"the S2S listener (--s2s-listen "
      "127.0.0.1:0) has no certificate (--tls-cert, --tls-key), but 1 partner "
      "requires TLS (tlsNegotiation Required: a.test)"))
      << agent_->Log();
}

}  // namespace
}  // namespace xmppfed::testing
