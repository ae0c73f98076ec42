// The agent as a process: what get-agent reports, clean shutdown, one agent
// per socket and per store, stale sockets, socket mode, option validation,
// the TOML config file, and the CLI when no agent runs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/integration/agent_fixture.h"
#include "tests/support/agent_process.h"
#include "tests/support/cli.h"
#include "tests/support/json.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace xmppfed::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsSupersetOf;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

bool Exists(const std::string& path) {
  std::error_code error;
  return std::filesystem::exists(std::filesystem::symlink_status(path, error));
}

// Runs a second agent to completion (it is expected to refuse to start).
ProcessResult RunAgent(const std::vector<std::string>& args) {
  RunOptions options;
  options.unset_env = {"XMPPFED_SOCKET", "NOTIFY_SOCKET"};
  options.timeout = std::chrono::seconds(20);
  return RunProcess(AgentBinary(), args, options);
}

std::string Describe(const ProcessResult& result) {
  return result.status.ToString() + "\n--- stdout ---\n" + result.out +
         "\n--- stderr ---\n" + result.err + "\n" + result.spawn_error;
}

class AgentLifecycleTest : public AgentTest {
 protected:
  std::vector<std::string> ExtraAgentArgs() const override {
    return {"--domain", "Example.TEST."};
  }
};

TEST_F(AgentLifecycleTest, GetAgentReportsVersionStoreDomainsAndListeners) {
  JsonValue info = CliJson({"get-agent"});
  ASSERT_TRUE(IsObject(info)) << ToJson(info);
  EXPECT_THAT(Keys(info), IsSupersetOf({"version", "startedAt", "uptimeSeconds",
                                        "store", "localDomains", "listeners",
                                        "pid", "partnerCount"}))
      << ToJson(info);
  EXPECT_THAT(Str(info, "version"), Not(""));
  EXPECT_TRUE(Has(info, "startedAt"));
  ASSERT_TRUE(GetNumber(info, "uptimeSeconds")) << ToJson(info);
  EXPECT_GE(Num(info, "uptimeSeconds"), 0);
  EXPECT_EQ(Str(info, "store"), "sqlite:" + agent_->store_path());
  EXPECT_EQ(StrList(info, "localDomains"),
            std::vector<std::string>{"example.test"})
      << ToJson(info);
  EXPECT_EQ(Num(info, "pid"), agent_->pid());
  EXPECT_EQ(Num(info, "partnerCount"), 0);

  ASSERT_NE(Member(info, "listeners"), nullptr) << ToJson(info);
  std::vector<std::string> names;
  for (const JsonValue& listener : Elements(*Member(info, "listeners"))) {
    std::string name = Str(listener, "name");
    names.push_back(name);
    std::string address = Str(listener, "address");
    if (name == "api") {
      EXPECT_THAT(address, HasSubstr(agent_->socket_path()));
    } else {
      EXPECT_EQ(address, "off") << name;
    }
  }
  EXPECT_THAT(names, UnorderedElementsAre("api", "s2s", "s2s-tls", "component"))
      << ToJson(info);

  NewPartner("fabrikam.com", {"--tls-negotiation", "Required",
                              "--sasl-negotiation", "Optional"});
  EXPECT_EQ(Num(CliJson({"get-agent"}), "partnerCount"), 1);
}

TEST_F(AgentLifecycleTest, SigtermExitsZeroAndRemovesTheSocket) {
  ASSERT_TRUE(Exists(agent_->socket_path()));
  ExitStatus status = agent_->Terminate();
  EXPECT_TRUE(status.exited) << status;
  EXPECT_EQ(status.code, 0) << status << "\n" << agent_->Log();
  EXPECT_FALSE(status.timed_out);
  EXPECT_FALSE(Exists(agent_->socket_path()));
}

TEST_F(AgentLifecycleTest, SecondAgentOnTheSameSocketIsRefused) {
  TempDir other;
  ProcessResult second = RunAgent(
      AgentBaseArgs(agent_->socket_path(), "sqlite:" + other.File("other.db")));
  EXPECT_FALSE(second.status.timed_out) << Describe(second);
  EXPECT_TRUE(second.status.exited) << Describe(second);
  EXPECT_NE(second.status.code, 0) << Describe(second);
  EXPECT_THAT(second.err, HasSubstr(agent_->socket_path()));

  // The first agent still serves, on the same socket.
  JsonValue info = CliJson({"get-agent"});
  EXPECT_EQ(Num(info, "pid"), agent_->pid());
  ASSERT_TRUE(Exists(agent_->socket_path()));
}

TEST_F(AgentLifecycleTest, SecondAgentOnTheSameStoreIsRefused) {
  TempDir other;
  std::string other_socket = other.File("agent.sock");
  ProcessResult second =
      RunAgent(AgentBaseArgs(other_socket, agent_->store_uri()));
  EXPECT_FALSE(second.status.timed_out) << Describe(second);
  EXPECT_TRUE(second.status.exited) << Describe(second);
  EXPECT_NE(second.status.code, 0) << Describe(second);
  EXPECT_THAT(second.err, HasSubstr(agent_->store_path()));
  EXPECT_FALSE(SocketAcceptsConnections(other_socket));

  NewPartner("fabrikam.com", {"--sasl-negotiation", "Optional"});
  EXPECT_EQ(Num(CliJson({"get-agent"}), "pid"), agent_->pid());
  EXPECT_EQ(Identities(), std::vector<std::string>{"fabrikam.com"});
}

TEST_F(AgentLifecycleTest, StaleSocketOfAKilledAgentDoesNotPreventARestart) {
  NewPartner("fabrikam.com", {"--sasl-negotiation", "Optional"});
  agent_->Kill();
  ASSERT_TRUE(Exists(agent_->socket_path()))
      << "after SIGKILL the socket file should be left behind";
  ASSERT_TRUE(agent_->Start());
  JsonValue info = CliJson({"get-agent"});
  EXPECT_EQ(Num(info, "pid"), agent_->pid());
  EXPECT_EQ(Num(info, "partnerCount"), 1);
}

TEST_F(AgentLifecycleTest, SocketModeIs0660) {
  // A call first: the mode is set right after the socket is bound.
  CliResult result = Cli({"get-agent", "-o", "json"});
  ASSERT_EQ(result.exit_code, 0) << result;
  struct stat st {};
  ASSERT_EQ(::lstat(agent_->socket_path().c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0660u) << std::oct << (st.st_mode & 07777);
}

TEST(AgentOptionsTest, MalformedListenerIsRefusedWithExit2) {
  TempDir dir;
  std::vector<std::string> args = {"--socket",
                                   dir.File("agent.sock"),
                                   "--store",
                                   "sqlite:" + dir.File("x.db"),
                                   "--s2s-listen",
                                   "[::]:99999",
                                   "--component-listen",
                                   "off"};
  ProcessResult result = RunAgent(args);
  EXPECT_TRUE(result.status.exited) << Describe(result);
  EXPECT_EQ(result.status.code, 2) << Describe(result);
  EXPECT_THAT(result.err, HasSubstr("--s2s-listen")) << Describe(result);
  EXPECT_THAT(result.err, HasSubstr("99999")) << Describe(result);
  EXPECT_FALSE(Exists(dir.File("agent.sock")));
}

TEST(AgentOptionsTest, ComponentListenerWithoutSecretIsRefusedWithExit2) {
  TempDir dir;
  ProcessResult result =
      RunAgent({"--socket", dir.File("agent.sock"), "--store",
                "sqlite:" + dir.File("x.db"), "--s2s-listen", "off",
                "--component-listen", "127.0.0.1:0"});
  EXPECT_TRUE(result.status.exited) << Describe(result);
  EXPECT_EQ(result.status.code, 2) << Describe(result);
  EXPECT_THAT(result.err, HasSubstr("--component-secret-file"))
      << Describe(result);
  EXPECT_FALSE(Exists(dir.File("agent.sock")));
}

TEST(AgentConfigFileTest, OptionsComeFromTheTomlFile) {
  TempDir dir;
  AgentProcess agent(dir.path());
  std::string config = dir.WriteFile(
      "agent.toml", "socket = \"" + agent.socket_path() +
                        "\"\n"
                        "store = \"" +
                        agent.store_uri() +
                        "\"\n"
                        "domain = [\"example.test\", \"Other.Example.\"]\n"
                        "s2s-listen = \"off\"\n"
                        "component-listen = \"off\"\n");
  agent.ReplaceArgs({"--config", config});
  ASSERT_TRUE(agent.Start());
  CliResult result = RunCli({"get-agent", "-o", "json"}, agent.socket_path());
  ASSERT_EQ(result.exit_code, 0) << result;
  JsonValue info;
  ASSERT_TRUE(ParseJson(result.out, &info));
  EXPECT_EQ(Str(info, "store"), agent.store_uri());
  EXPECT_THAT(StrList(info, "localDomains"),
              ElementsAre("example.test", "other.example"))
      << ToJson(info);
  ExitStatus status = agent.Terminate();
  EXPECT_TRUE(status.exited && status.code == 0) << status;
}

TEST(AgentConfigFileTest, ListenerInTheFileIsValidatedToo) {
  TempDir dir;
  std::string config =
      dir.WriteFile("agent.toml", "socket = \"" + dir.File("agent.sock") +
                                      "\"\n"
                                      "store = \"sqlite:" +
                                      dir.File("x.db") +
                                      "\"\n"
                                      "s2s-listen = \"no-such-host\"\n"
                                      "component-listen = \"off\"\n");
  ProcessResult result = RunAgent({"--config", config});
  EXPECT_TRUE(result.status.exited) << Describe(result);
  EXPECT_EQ(result.status.code, 2) << Describe(result);
  EXPECT_THAT(result.err, HasSubstr("s2s-listen")) << Describe(result);
}

void ExpectUnreachable(const CliResult& result, const std::string& socket) {
  EXPECT_EQ(result.exit_code, 69) << result;
  EXPECT_THAT(result.err, HasSubstr(socket)) << result;
  // How to start it: the message names the agent binary.
  EXPECT_THAT(result.err, HasSubstr("xmppfed-agent")) << result;
  EXPECT_EQ(result.out, "") << result;
}

TEST(CliWithoutAgentTest, NoSocketFileExits69NamingTheSocket) {
  TempDir dir;
  std::string socket = dir.File("agent.sock");
  auto start = std::chrono::steady_clock::now();
  ExpectUnreachable(RunCli({"get-agent"}, socket), socket);
  ExpectUnreachable(RunCli({"get-partner", "-o", "json"}, socket), socket);
  ExpectUnreachable(
      RunCli({"new-partner", "fabrikam.com", "-o", "json"}, socket), socket);
  // An operator should not wait long for this verdict.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
}

TEST(CliWithoutAgentTest, StoppedAndKilledAgentsExit69) {
  TempDir dir;
  AgentProcess agent(dir.path());
  ASSERT_TRUE(agent.Start());
  ASSERT_EQ(agent.Terminate().code, 0);
  ExpectUnreachable(RunCli({"get-agent"}, agent.socket_path()),
                    agent.socket_path());

  ASSERT_TRUE(agent.Start());
  agent.Kill();
  ASSERT_TRUE(Exists(agent.socket_path()));  // stale socket file
  ExpectUnreachable(RunCli({"get-agent"}, agent.socket_path()),
                    agent.socket_path());
}

TEST(CliSocketTest, SocketComesFromXmppfedSocketEnvironment) {
  TempDir dir;
  AgentProcess agent(dir.path());
  ASSERT_TRUE(agent.Start());
  CliOptions options;
  options.extra_env = {{"XMPPFED_SOCKET", agent.socket_path()}};
  CliResult result = RunCliRaw({"get-agent", "-o", "json"}, options);
  EXPECT_EQ(result.exit_code, 0) << result;
  JsonValue info;
  EXPECT_TRUE(ParseJson(result.out, &info));
  EXPECT_EQ(Num(info, "pid"), agent.pid());
  EXPECT_EQ(agent.Terminate().code, 0);
}

}  // namespace
}  // namespace xmppfed::testing
