// The completion scripts in real bash, zsh and fish: verbs, options, enum
// values, global options after the verb, file names, and partner identities
// from a running agent; and with no agent (or one that never answers) no
// candidates, no noise and no wait. Each test runs in every shell; one that
// is not installed is skipped (.ci/packages installs all three).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include "tests/integration/completion/cli_spec_reader.h"
#include "tests/integration/completion/shell_driver.h"
#include "tests/support/agent_process.h"
#include "tests/support/cli.h"
#include "tests/support/temp_dir.h"

namespace xmppfed::testing {
namespace {

using ::testing::Contains;
using ::testing::IsEmpty;
using ::testing::IsSupersetOf;
using ::testing::Not;
using ::testing::UnorderedElementsAre;
using ::testing::UnorderedElementsAreArray;

// Far above a completion that gives up on time (the identity call's
// deadline is 300 ms), far below one that waits for the agent: the shells
// are killed after kShellTimeout.
constexpr std::chrono::milliseconds kQuick(5000);
constexpr std::chrono::milliseconds kShellTimeout(30000);

class ShellCompletionTest : public ::testing::TestWithParam<Shell> {
 protected:
  void SetUp() override {
    if (ShellBinary(GetParam()).empty()) {
      GTEST_SKIP() << GetParam() << " is not installed";
    }
  }

  // Completes the lines in one shell; the test fails unless the shell
  // answered every one.
  CompletionRun Run(const std::vector<std::string>& lines,
                    CompletionOptions options = {}) const {
    options.timeout = kShellTimeout;
    CompletionRun run = CompleteLines(GetParam(), lines, options);
    EXPECT_TRUE(run.ok) << run;
    run.candidates.resize(lines.size());
    return run;
  }

  std::vector<std::string> Complete(const std::string& line) const {
    return Run({line}).candidates[0];
  }
};

std::vector<std::string> SpecVerbs() {
  CliResult result = RunCliRaw({"__cli-spec"});
  EXPECT_EQ(result.exit_code, 0) << result;
  CliSpec spec;
  std::string error;
  EXPECT_TRUE(ParseCliSpec(result.out, &spec, &error)) << error;
  return spec.verbs;
}

TEST_P(ShellCompletionTest, OffersTheVerbsAndNotTheHiddenOnes) {
  std::vector<std::string> verbs = SpecVerbs();
  ASSERT_THAT(verbs, IsSupersetOf({"get-partner", "completion"}));
  std::vector<std::string> get_verbs;
  for (const std::string& verb : verbs) {
    if (verb.rfind("get-", 0) == 0) get_verbs.push_back(verb);
  }
  CompletionRun run = Run({"xmppfed ", "xmppfed get-"});
  // Exactly the verbs: the hidden __complete-identities and __cli-spec,
  // which __cli-spec leaves out, are not offered either.
  EXPECT_THAT(run.candidates[0], UnorderedElementsAreArray(verbs)) << run;
  EXPECT_THAT(run.candidates[1], UnorderedElementsAreArray(get_verbs)) << run;
}

TEST_P(ShellCompletionTest, OffersTheOptionsOfTheVerbBeingTyped) {
  CompletionRun run = Run({"xmppfed set-partner --", "xmppfed get-partner --"});
  EXPECT_THAT(run.candidates[0],
              IsSupersetOf({"--pass-thru", "--add-additional-domains",
                            "--partner-type", "--identity", "--socket"}))
      << run;
  EXPECT_THAT(run.candidates[0], Not(Contains("--filter"))) << run;
  EXPECT_THAT(run.candidates[1], IsSupersetOf({"--filter", "--identity"}))
      << run;
  EXPECT_THAT(run.candidates[1], Not(Contains("--pass-thru"))) << run;
  EXPECT_THAT(run.candidates[1], Not(Contains("--partner-type"))) << run;
}

TEST_P(ShellCompletionTest, CompletesTheValuesOfEnumOptions) {
  CompletionRun run = Run({
      "xmppfed new-partner fabrikam.com --partner-type ",
      "xmppfed set-partner fabrikam.com --tls-negotiation Opt",
      "xmppfed new-partner fabrikam.com --enable-keep-alive ",
      "xmppfed import-partners --format ",
      "xmppfed set-gateway-config --enable-logging-all-message-bodies ",
  });
  EXPECT_THAT(
      run.candidates[0],
      UnorderedElementsAre("Federated", "PublicVerified", "PublicUnverified"))
      << run;
  EXPECT_THAT(run.candidates[1], UnorderedElementsAre("Optional")) << run;
  EXPECT_THAT(run.candidates[2], UnorderedElementsAre("true", "false")) << run;
  EXPECT_THAT(run.candidates[3], UnorderedElementsAre("csv", "ndjson", "json"))
      << run;
  EXPECT_THAT(run.candidates[4], UnorderedElementsAre("true", "false")) << run;
}

TEST_P(ShellCompletionTest, CompletesGlobalOptionsAfterTheVerb) {
  CompletionRun run = Run({
      "xmppfed get-partner --output ",
      "xmppfed get-agent -o ",
      "xmppfed get-partner --so",
      "xmppfed remove-partner --qu",
      "xmppfed -o ",
  });
  EXPECT_THAT(run.candidates[0],
              UnorderedElementsAre("table", "json", "ndjson", "csv", "wide"))
      << run;
  EXPECT_THAT(run.candidates[1],
              UnorderedElementsAre("table", "json", "ndjson", "csv", "wide"))
      << run;
  EXPECT_THAT(run.candidates[2], UnorderedElementsAre("--socket")) << run;
  EXPECT_THAT(run.candidates[3], UnorderedElementsAre("--quiet")) << run;
  EXPECT_THAT(run.candidates[4],
              UnorderedElementsAre("table", "json", "ndjson", "csv", "wide"))
      << run;
}

TEST_P(ShellCompletionTest, CompletesTheShellOfCompletion) {
  EXPECT_THAT(Complete("xmppfed completion "),
              UnorderedElementsAre("bash", "zsh", "fish"));
}

TEST_P(ShellCompletionTest, CompletesFileNames) {
  TempDir dir("files");
  dir.WriteFile("partners.csv", "identity\n");
  dir.WriteFile("other.txt", "");
  CompletionOptions options;
  options.cwd = dir.path();
  CompletionRun run =
      Run({"xmppfed import-partners part", "xmppfed --socket oth",
           "xmppfed get-agent --socket oth",
           "xmppfed set-gateway-config "
           "--dialback-passphrase-file part"},
          options);
  EXPECT_THAT(run.candidates[0], UnorderedElementsAre("partners.csv")) << run;
  EXPECT_THAT(run.candidates[1], UnorderedElementsAre("other.txt")) << run;
  EXPECT_THAT(run.candidates[2], UnorderedElementsAre("other.txt")) << run;
  EXPECT_THAT(run.candidates[3], UnorderedElementsAre("partners.csv")) << run;
}

TEST_P(ShellCompletionTest, CompletesPartnerIdentitiesFromTheAgent) {
  TempDir dir("agent");
  AgentProcess agent(dir.path());
  ASSERT_TRUE(agent.Start());
  for (const char* identity : {"contoso.com", "contoso.net", "fabrikam.com"}) {
    CliResult created = RunCli({"new-partner", identity}, agent.socket_path());
    ASSERT_EQ(created.exit_code, 0) << created;
  }
  const std::string socket = agent.socket_path();
  CompletionRun run = Run({
      "xmppfed --socket " + socket + " get-partner ",
      "xmppfed get-partner --socket " + socket + " con",
      "xmppfed set-partner --socket " + socket + " fab",
      "xmppfed remove-partner --socket " + socket + " contoso.com fab",
      "xmppfed get-partner --socket " + socket + " --identity contoso.n",
      // new-partner names a partner that does not exist yet.
      "xmppfed new-partner --socket " + socket + " ",
      "xmppfed new-partner --socket " + socket + " --identity con",
  });
  EXPECT_THAT(
      run.candidates[0],
      UnorderedElementsAre("contoso.com", "contoso.net", "fabrikam.com"))
      << run;
  EXPECT_THAT(run.candidates[1],
              UnorderedElementsAre("contoso.com", "contoso.net"))
      << run;
  EXPECT_THAT(run.candidates[2], UnorderedElementsAre("fabrikam.com")) << run;
  EXPECT_THAT(run.candidates[3], UnorderedElementsAre("fabrikam.com")) << run;
  EXPECT_THAT(run.candidates[4], UnorderedElementsAre("contoso.net")) << run;
  EXPECT_THAT(run.candidates[5], IsEmpty()) << run;
  EXPECT_THAT(run.candidates[6], IsEmpty()) << run;
  ExitStatus stopped = agent.Terminate();
  EXPECT_TRUE(stopped.exited && stopped.code == 0) << stopped;
}

// Expects no candidates, nothing on stderr or the terminal, and a quick
// answer.
void ExpectSilentAndQuick(const CompletionRun& run) {
  for (const std::vector<std::string>& candidates : run.candidates) {
    EXPECT_THAT(candidates, IsEmpty()) << run;
  }
  EXPECT_EQ(run.process.err, "") << run;
  EXPECT_THAT(run.terminal, Not(::testing::HasSubstr("xmppfed:"))) << run;
  EXPECT_LT(run.elapsed, kQuick) << run;
}

TEST_P(ShellCompletionTest, IsSilentAndQuickWhenNoAgentRuns) {
  TempDir dir("noagent");
  const std::string socket = dir.File("agent.sock");
  ExpectSilentAndQuick(Run({"xmppfed --socket " + socket + " get-partner ",
                            "xmppfed set-partner --socket " + socket + " con",
                            // The default socket (XDG_RUNTIME_DIR) is empty.
                            "xmppfed remove-partner "}));
}

TEST_P(ShellCompletionTest, GivesUpQuicklyWhenTheAgentNeverAnswers) {
  // A socket that accepts connections into its backlog and never reads:
  // without a deadline the identity call would wait until the shell is
  // killed (kShellTimeout).
  TempDir dir("stalled");
  const std::string socket = dir.File("agent.sock");
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, socket.c_str(), sizeof address.sun_path - 1);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address),
            0);
  ASSERT_EQ(::listen(fd, 16), 0);
  ExpectSilentAndQuick(Run({"xmppfed --socket " + socket + " get-partner "}));
  ::close(fd);
}

INSTANTIATE_TEST_SUITE_P(Shells, ShellCompletionTest,
                         ::testing::Values(Shell::kBash, Shell::kZsh,
                                           Shell::kFish),
                         [](const ::testing::TestParamInfo<Shell>& info) {
                           return std::string(ShellName(info.param));
                         });

// Readline splits "--output=j" at "="; the script puts it back together.
TEST(BashCompletionTest, CompletesValuesAfterEqualsSigns) {
  if (ShellBinary(Shell::kBash).empty()) GTEST_SKIP() << "no bash";
  CompletionRun run = CompleteLines(
      Shell::kBash, {"xmppfed get-partner --output=j", "xmppfed --output=",
                     "xmppfed new-partner x --partner-type=Pub"});
  ASSERT_TRUE(run.ok) << run;
  EXPECT_THAT(run.candidates[0], UnorderedElementsAre("json")) << run;
  EXPECT_THAT(run.candidates[1],
              UnorderedElementsAre("table", "json", "ndjson", "csv", "wide"))
      << run;
  EXPECT_THAT(run.candidates[2],
              UnorderedElementsAre("PublicVerified", "PublicUnverified"))
      << run;
}

// With bash-completion loaded the script hands file names to its _filedir.
TEST(BashCompletionTest, CompletesFileNamesWithBashCompletionLoaded) {
  if (ShellBinary(Shell::kBash).empty()) GTEST_SKIP() << "no bash";
  if (::access(kBashCompletionLibrary, R_OK) != 0) {
    GTEST_SKIP() << "bash-completion is not installed";
  }
  TempDir dir("files");
  dir.WriteFile("partners.csv", "identity\n");
  CompletionOptions options;
  options.cwd = dir.path();
  options.bash_completion = true;
  CompletionRun run = CompleteLines(
      Shell::kBash,
      {"xmppfed import-partners part", "xmppfed get-partner --output "},
      options);
  ASSERT_TRUE(run.ok) << run;
  EXPECT_THAT(run.candidates[0], UnorderedElementsAre("partners.csv")) << run;
  EXPECT_THAT(run.candidates[1],
              UnorderedElementsAre("table", "json", "ndjson", "csv", "wide"))
      << run;
}

// `source <(xmppfed completion zsh)` registers the function with compdef
// (the file is otherwise autoloaded through its #compdef line).
TEST(ZshCompletionTest, WorksWhenSourcedAfterCompinit) {
  if (ShellBinary(Shell::kZsh).empty()) GTEST_SKIP() << "no zsh";
  CompletionOptions options;
  options.zsh_source = true;
  CompletionRun run = CompleteLines(
      Shell::kZsh, {"xmppfed get-partner --output ", "xmppfed completion "},
      options);
  ASSERT_TRUE(run.ok) << run;
  EXPECT_THAT(run.candidates[0],
              UnorderedElementsAre("table", "json", "ndjson", "csv", "wide"))
      << run;
  EXPECT_THAT(run.candidates[1], UnorderedElementsAre("bash", "zsh", "fish"))
      << run;
}

}  // namespace
}  // namespace xmppfed::testing
