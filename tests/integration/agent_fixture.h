// A fixture for integration tests: one fresh directory and one real agent
// (started in SetUp) per test, and helpers that drive the real CLI.
#ifndef XMPPFED_TESTS_INTEGRATION_AGENT_FIXTURE_H_
#define XMPPFED_TESTS_INTEGRATION_AGENT_FIXTURE_H_

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "tests/support/agent_process.h"
#include "tests/support/cli.h"
#include "tests/support/json.h"
#include "tests/support/temp_dir.h"

namespace xmppfed::testing {

class AgentTest : public ::testing::Test {
 protected:
  // Arguments the agent gets after the base ones; override to add some.
  virtual std::vector<std::string> ExtraAgentArgs() const { return {}; }

  void SetUp() override {
    agent_ = std::make_unique<AgentProcess>(dir_.path(), ExtraAgentArgs());
    ASSERT_TRUE(agent_->Start());
  }

  void TearDown() override {
    if (agent_ && agent_->running()) {
      ExitStatus status = agent_->Terminate();
      EXPECT_TRUE(status.exited && status.code == 0)
          << "the agent did not stop cleanly on SIGTERM: " << status
          << "\nits stderr:\n"
          << agent_->Log();
    }
  }

  // xmppfed --socket <this agent's socket> ARGS...
  CliResult Cli(const std::vector<std::string>& args,
                std::optional<std::string> stdin_text = {}) const {
    return RunCli(args, agent_->socket_path(), std::move(stdin_text));
  }

  // Runs the CLI with `-o json` appended, expects exit 0 and parses stdout.
  // On failure the test fails and an empty value is returned.
  JsonValue CliJson(std::vector<std::string> args) const {
    args.push_back("-o");
    args.push_back("json");
    CliResult result = Cli(args);
    JsonValue value;
    EXPECT_EQ(result.exit_code, 0) << result;
    EXPECT_TRUE(ParseJson(result.out, &value)) << result;
    return value;
  }

  // The partner with this identity (get-partner -o json, one element), or
  // an empty value (and a test failure) if there is none.
  JsonValue GetPartner(const std::string& identity) const {
    JsonValue list = CliJson({"get-partner", identity});
    EXPECT_TRUE(IsArray(list)) << ToJson(list);
    std::vector<JsonValue> elements = Elements(list);
    EXPECT_EQ(elements.size(), 1u) << ToJson(list);
    return elements.empty() ? JsonValue() : elements[0];
  }

  // GetPartner without its read-only status object: the partner as stored,
  // as new-partner and set-partner --pass-thru print it.
  JsonValue StoredPartner(const std::string& identity) const {
    JsonValue partner = GetPartner(identity);
    EXPECT_TRUE(Has(partner, "status")) << ToJson(partner);
    partner.mutable_struct_value()->mutable_fields()->erase("status");
    return partner;
  }

  // The identities get-partner lists (in its order), optionally filtered.
  std::vector<std::string> Identities(const std::string& filter = "") const {
    std::vector<std::string> args = {"get-partner"};
    if (!filter.empty()) {
      args.push_back("--filter");
      args.push_back(filter);
    }
    std::vector<std::string> identities;
    for (const JsonValue& partner : Elements(CliJson(args))) {
      identities.push_back(Str(partner, "identity"));
    }
    return identities;
  }

  // new-partner IDENTITY OPTIONS..., expecting exit 0.
  void NewPartner(const std::string& identity,
                  std::vector<std::string> options = {}) const {
    std::vector<std::string> args = {"new-partner", identity};
    args.insert(args.end(), options.begin(), options.end());
    CliResult result = Cli(args);
    EXPECT_EQ(result.exit_code, 0) << result;
  }

  // True when get-partner IDENTITY says "not found" (exit 3).
  bool PartnerMissing(const std::string& identity) const {
    CliResult result = Cli({"get-partner", identity, "-o", "json"});
    EXPECT_TRUE(result.exit_code == 0 || result.exit_code == 3) << result;
    return result.exit_code == 3;
  }

  TempDir dir_;
  std::unique_ptr<AgentProcess> agent_;
};

// The same with local domains example.test and chat.example.test.
class AgentWithDomainTest : public AgentTest {
 protected:
  std::vector<std::string> ExtraAgentArgs() const override {
    return {"--domain", "example.test", "--domain", "chat.example.test"};
  }
};

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_INTEGRATION_AGENT_FIXTURE_H_
