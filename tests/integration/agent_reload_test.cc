// Reload without restart: SIGHUP and `xmppfed-agent --reload` make the
// agent re-read its configuration file, apply the log settings at once,
// name the changed keys that need a restart, and reopen its log file; the
// agent keeps running (same pid, same socket) throughout.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>
#include <string>
#include <vector>

#include "tests/support/agent_process.h"
#include "tests/support/cli.h"
#include "tests/support/json.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace xmppfed::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class AgentReloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    agent_ = std::make_unique<AgentProcess>(dir_.path());
    WriteConfig("log-level = \"info\"\n");
    agent_->ReplaceArgs({"--config", config_});
    ASSERT_TRUE(agent_->Start());
    ASSERT_TRUE(WaitForFileText(log_file_, "agent.ready", kWait));
  }
  void TearDown() override {
    if (agent_->running()) {
      EXPECT_EQ(agent_->Terminate().code, 0);
    }
  }

  // The agent's file: socket, store, listeners off, one local domain, the
  // log in log_file_, then `extra`.
  void WriteConfig(const std::string& extra,
                   const std::string& domain = "example.test") {
    config_ =
        dir_.WriteFile("agent.toml", "socket = \"" + agent_->socket_path() +
                                         "\"\n"
                                         "store = \"" +
                                         agent_->store_uri() +
                                         "\"\n"
                                         "domain = [\"" +
                                         domain +
                                         "\"]\n"
                                         "s2s-listen = \"off\"\n"
                                         "component-listen = \"off\"\n"
                                         "log-file = \"" +
                                         log_file_ + "\"\n" + extra);
  }

  void Hangup() { ASSERT_EQ(::kill(agent_->pid(), SIGHUP), 0); }

  std::string Log() const { return ReadFileOrEmpty(log_file_); }

  // The agent answers, as the same process.
  void ExpectSameAgentServing() {
    CliResult info = RunCli({"get-agent", "-o", "json"}, agent_->socket_path());
    ASSERT_EQ(info.exit_code, 0) << info;
    JsonValue agent;
    ASSERT_TRUE(ParseJson(info.out, &agent)) << info;
    EXPECT_EQ(Num(agent, "pid"), agent_->pid());
  }

  static constexpr std::chrono::seconds kWait{10};
  TempDir dir_{"reload"};
  std::string log_file_ = dir_.File("xmppfed.log");
  std::string config_;
  std::unique_ptr<AgentProcess> agent_;
};

TEST_F(AgentReloadTest, SighupAppliesTheLogSettingsAndKeepsRunning) {
  WriteConfig("log-level = \"debug\"\nlog-format = \"json\"\n");
  Hangup();
  ASSERT_TRUE(WaitForFileText(log_file_, "\"event\":\"agent.reloaded\"", kWait))
      << Log();
  EXPECT_THAT(Log(), HasSubstr("\"applied\":\"log-format,log-level\""));
  ExpectSameAgentServing();
  CliResult created = RunCli({"new-partner", "a.test"}, agent_->socket_path());
  ASSERT_EQ(created.exit_code, 0) << created;
  EXPECT_TRUE(WaitForFileText(
      log_file_, "\"event\":\"partner.created\",\"identity\":\"a.test\"",
      kWait))
      << Log();
}

TEST_F(AgentReloadTest, SighupReopensTheLogFile) {
  std::string rotated = log_file_ + ".1";
  ASSERT_EQ(std::rename(log_file_.c_str(), rotated.c_str()), 0);
  Hangup();
  ASSERT_TRUE(WaitForFileText(log_file_, "agent.reloaded", kWait))
      << "the log was not reopened; the old file holds:\n"
      << ReadFileOrEmpty(rotated);
  EXPECT_THAT(ReadFileOrEmpty(rotated), HasSubstr("agent.ready"));
  EXPECT_THAT(ReadFileOrEmpty(rotated), Not(HasSubstr("agent.reloaded")));
  ExpectSameAgentServing();
}

TEST_F(AgentReloadTest, ChangedKeysThatNeedARestartAreNamed) {
  WriteConfig("log-level = \"info\"\n", "other.test");
  Hangup();
  ASSERT_TRUE(WaitForFileText(log_file_, "agent.reload.restart_needed", kWait))
      << Log();
  EXPECT_THAT(Log(), HasSubstr("notice agent.reloaded config=" + config_ +
                               " applied=none"));
  EXPECT_THAT(Log(),
              HasSubstr("warning agent.reload.restart_needed keys=domain "));
  // Still the domain it started with.
  CliResult info = RunCli({"get-agent", "-o", "json"}, agent_->socket_path());
  JsonValue agent;
  ASSERT_TRUE(ParseJson(info.out, &agent)) << info;
  EXPECT_EQ(StrList(agent, "localDomains"),
            std::vector<std::string>{"example.test"});
}

TEST_F(AgentReloadTest, ABrokenFileChangesNothing) {
  WriteConfig("log-format = \"json\"\nlog-levle = \"debug\"\n");
  Hangup();
  ASSERT_TRUE(WaitForFileText(log_file_, "agent.reload.failed", kWait))
      << Log();
  EXPECT_THAT(Log(), HasSubstr("error agent.reload.failed error=\"" + config_ +
                               ":8: unknown key 'log-levle';"));
  ExpectSameAgentServing();
  // Still text, not JSON.
  CliResult created = RunCli({"new-partner", "a.test"}, agent_->socket_path());
  ASSERT_EQ(created.exit_code, 0) << created;
  EXPECT_TRUE(
      WaitForFileText(log_file_, " notice partner.created identity=", kWait))
      << Log();
}

TEST_F(AgentReloadTest, ReloadOptionSignalsTheAgentOfTheConfiguration) {
  WriteConfig("log-level = \"debug\"\n");
  ProcessResult reload =
      RunProcess(AgentBinary(), {"--config", config_, "--reload"});
  EXPECT_EQ(reload.status.ExitCodeOrMinusOne(), 0) << reload.err;
  EXPECT_THAT(reload.out,
              HasSubstr("asked the agent serving " + agent_->socket_path() +
                        " (pid " + std::to_string(agent_->pid()) + ")"));
  EXPECT_TRUE(WaitForFileText(log_file_, "applied=log-level", kWait)) << Log();
  ExpectSameAgentServing();
}

TEST_F(AgentReloadTest, ReloadOptionChecksTheFileBeforeSignalling) {
  WriteConfig("log-level = \"loud\"\n");
  ProcessResult reload =
      RunProcess(AgentBinary(), {"--config", config_, "--reload"});
  EXPECT_EQ(reload.status.ExitCodeOrMinusOne(), 2);
  EXPECT_THAT(reload.err, HasSubstr(config_ + ":7: log-level = \"loud\""));
  EXPECT_THAT(Log(), Not(HasSubstr("agent.reload")));
}

TEST(AgentReloadWithoutAgentTest, ReloadOptionWithoutAnAgentExits69) {
  TempDir dir("reload");
  ProcessResult reload = RunProcess(
      AgentBinary(), {"--reload", "--socket", dir.File("agent.sock")});
  EXPECT_EQ(reload.status.ExitCodeOrMinusOne(), 69);
  EXPECT_THAT(reload.err, HasSubstr("no xmppfed-agent serves socket " +
                                    dir.File("agent.sock")));
}

}  // namespace
}  // namespace xmppfed::testing
