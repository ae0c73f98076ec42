// `xmppfed __complete-identities [PREFIX]`, the hidden verb the completion
// scripts call: identities starting with PREFIX (taken literally), one per
// line; and nothing at all, exit 0, at once, when the agent is down or
// stalls.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <string>

#include "tests/integration/agent_fixture.h"
#include "tests/support/cli.h"
#include "tests/support/temp_dir.h"

namespace xmppfed::testing {
namespace {

class CompleteIdentitiesTest : public AgentTest {
 protected:
  void SetUp() override {
    AgentTest::SetUp();
    for (const char* identity :
         {"contoso.com", "contoso.net", "fabrikam.com", "c1.example"}) {
      NewPartner(identity);
    }
  }
};

TEST_F(CompleteIdentitiesTest, PrintsTheIdentitiesStartingWithThePrefix) {
  CliResult all = Cli({"__complete-identities"});
  EXPECT_EQ(all.exit_code, 0) << all;
  EXPECT_EQ(all.out, "c1.example\ncontoso.com\ncontoso.net\nfabrikam.com\n")
      << all;
  EXPECT_EQ(all.err, "") << all;

  CliResult some = Cli({"__complete-identities", "con"});
  EXPECT_EQ(some.exit_code, 0) << some;
  EXPECT_EQ(some.out, "contoso.com\ncontoso.net\n") << some;

  // Identities are stored in lower case; what is typed may not be.
  CliResult upper = Cli({"__complete-identities", "FAB"});
  EXPECT_EQ(upper.out, "fabrikam.com\n") << upper;

  CliResult none = Cli({"__complete-identities", "northwind"});
  EXPECT_EQ(none.exit_code, 0) << none;
  EXPECT_EQ(none.out, "") << none;
}

TEST_F(CompleteIdentitiesTest, TakesGlobCharactersInThePrefixLiterally) {
  // As globs, each of these would match contoso.com and contoso.net (or
  // c1.example); as literal prefixes they match nothing.
  for (const char* prefix : {"c*", "c?ntoso", "[c]", "c[o]", "*"}) {
    CliResult result = Cli({"__complete-identities", prefix});
    EXPECT_EQ(result.exit_code, 0) << result;
    EXPECT_EQ(result.out, "") << result;
    EXPECT_EQ(result.err, "") << result;
  }
}

TEST_F(CompleteIdentitiesTest, AcceptsGlobalOptionsAfterTheVerb) {
  CliResult result = RunCliRaw({"__complete-identities", "fab", "--socket",
                                agent_->socket_path(), "-o", "json"});
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.out, "fabrikam.com\n") << result;
}

TEST(CompleteIdentitiesNoAgentTest, PrintsNothingAndSucceedsWhenNoAgentRuns) {
  TempDir dir("noagent");
  CliResult result =
      RunCli({"__complete-identities", "con"}, dir.File("agent.sock"));
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.out, "") << result;
  EXPECT_EQ(result.err, "") << result;
}

TEST(CompleteIdentitiesNoAgentTest, GivesUpWithinItsDeadlineOnAStalledAgent) {
  // Accepts connections into the backlog, never answers.
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

  CliOptions options;
  options.timeout = std::chrono::seconds(20);
  auto start = std::chrono::steady_clock::now();
  CliResult result =
      RunCliRaw({"--socket", socket, "__complete-identities"}, options);
  auto elapsed = std::chrono::steady_clock::now() - start;
  ::close(fd);
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(result.out, "") << result;
  EXPECT_EQ(result.err, "") << result;
  // The deadline is 300 ms; the rest is process start (slow under
  // sanitizers), far from the 20 s a call without a deadline would take.
  EXPECT_LT(elapsed, std::chrono::seconds(3)) << result;
}

}  // namespace
}  // namespace xmppfed::testing
