// Pipeline input end to end (SPEC §7): the real CLI reading targets from its
// stdin (identities and get-partner's NDJSON objects) and the real agent
// applying set-partner, remove-partner and get-partner to each, with the
// results, exit codes, --atomic, --what-if, streaming, and the confirmation
// asked on a pseudo-terminal while stdin holds the targets.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/agent_fixture.h"
#include "tests/support/find_program.h"
#include "tests/support/live_process.h"
#include "tests/support/pseudo_terminal.h"

namespace xmppfed::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::chrono::seconds kWait(20);

class PipelineTest : public AgentWithDomainTest {
 protected:
  void SetUp() override {
    AgentWithDomainTest::SetUp();
    if (HasFatalFailure()) return;
    for (const char* identity : {"a.com", "b.com", "c.com"}) {
      NewPartner(identity, {"--tls-negotiation", "Optional"});
    }
  }

  // The results of an `-o ndjson` run, as "LINE IDENTITY STATUS".
  std::vector<std::string> Results(const CliResult& result) const {
    std::vector<JsonValue> results;
    EXPECT_TRUE(ParseNdjson(result.out, &results)) << result;
    std::vector<std::string> lines;
    for (const JsonValue& r : results) {
      lines.push_back(std::to_string(static_cast<int>(Num(r, "line"))) + " " +
                      Str(r, "identity") + " " + Str(r, "status"));
    }
    return lines;
  }

  std::string Tls(const std::string& identity) const {
    return Str(GetPartner(identity), "tlsNegotiation");
  }

  // The CLI on this agent with a live stdin (and `options` for the rest).
  std::unique_ptr<LiveProcess> StartCli(const std::vector<std::string>& args,
                                        RunOptions options = {}) const {
    std::vector<std::string> full = {"--socket", agent_->socket_path()};
    full.insert(full.end(), args.begin(), args.end());
    options.unset_env = {"XMPPFED_SOCKET"};
    auto cli = std::make_unique<LiveProcess>(CliBinary(), full, options);
    EXPECT_TRUE(cli->started()) << cli->error();
    return cli;
  }
};

TEST_F(PipelineTest, SetPartnerChangesEveryIdentityOnStdin) {
  CliResult result =
      Cli({"set-partner", "-", "--tls-negotiation", "Required", "-o", "ndjson"},
          "a.com\n\n# the next one\n  C.com.\n");
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(Results(result),
              ElementsAre("1 a.com updated", "4 c.com updated"));
  EXPECT_THAT(result.err,
              HasSubstr("set-partner: 2 updated, 0 unchanged, 0 not found, "
                        "0 refused"));
  EXPECT_EQ(Tls("a.com"), "Required");
  EXPECT_EQ(Tls("b.com"), "Optional");
  EXPECT_EQ(Tls("c.com"), "Required");
}

TEST_F(PipelineTest, TheObjectsOfGetPartnerAreTargets) {
  CliResult exported = Cli({"get-partner", "-o", "ndjson"});
  ASSERT_EQ(exported.exit_code, 0) << exported;
  // Keep a.com and c.com, as a filter would.
  std::istringstream lines(exported.out);
  std::string line, kept;
  while (std::getline(lines, line)) {
    if (line.find("\"b.com\"") == std::string::npos) kept += line + "\n";
  }
  CliResult result =
      Cli({"set-partner", "-", "--tls-negotiation", "Required", "-o", "json"},
          kept);
  ASSERT_EQ(result.exit_code, 0) << result;
  JsonValue list;
  ASSERT_TRUE(ParseJson(result.out, &list)) << result;
  std::vector<JsonValue> results = Elements(list);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(Str(results[1], "identity"), "c.com");
  EXPECT_EQ(Num(results[1], "line"), 2);
  EXPECT_EQ(Str(results[1], "status"), "updated");
  EXPECT_EQ(Tls("b.com"), "Optional");
  EXPECT_EQ(Tls("c.com"), "Required");
}

TEST_F(PipelineTest, TheIssuesPowerShellIdiomRunsInAShell) {
  std::string jq = FindProgram("jq");
  if (jq.empty()) GTEST_SKIP() << "jq is not installed";
  NewPartner("d.com");  // TLS Required: not selected
  std::string xmppfed = CliBinary() + " --socket " + agent_->socket_path();
  RunOptions options;
  options.unset_env = {"XMPPFED_SOCKET"};
  options.new_session = true;
  ProcessResult run = RunProcess(
      "/bin/bash",
      {"-c", xmppfed + " get-partner -o ndjson | " + jq +
                 " -r 'select(.tlsNegotiation==\"Optional\") | .identity' | " +
                 xmppfed + " set-partner - --tls-negotiation Required"},
      options);
  ASSERT_EQ(run.status.ExitCodeOrMinusOne(), 0) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("c.com"));
  EXPECT_THAT(run.err, HasSubstr("3 updated, 0 unchanged"));
  for (const char* identity : {"a.com", "b.com", "c.com", "d.com"}) {
    EXPECT_EQ(Tls(identity), "Required") << identity;
  }
  EXPECT_EQ(Num(GetPartner("d.com"), "revision"), 1) << "never selected";
}

TEST_F(PipelineTest, AMissingTargetIsExit3AndARefusedOneExit4) {
  CliResult missing =
      Cli({"set-partner", "-", "--description", "x", "-o", "ndjson"},
          "a.com\nnope.com\nb.com\n");
  EXPECT_EQ(missing.exit_code, 3) << missing;
  EXPECT_THAT(
      Results(missing),
      ElementsAre("1 a.com updated", "2 nope.com notFound", "3 b.com updated"));
  EXPECT_THAT(missing.out, HasSubstr("nope.com: no partner has this identity"));

  CliResult refused =
      Cli({"set-partner", "-", "--description", "y", "-o", "ndjson"},
          "a.com\nbad..com\n{\"identity\": \"b.com\",}\nnope.com\nc.com\n");
  EXPECT_EQ(refused.exit_code, 4) << refused;
  EXPECT_THAT(Results(refused),
              ElementsAre("1 a.com updated", "2 bad..com refused", "3  refused",
                          "4 nope.com notFound", "5 c.com updated"));
  EXPECT_THAT(refused.out, HasSubstr("invalid JSON at column"));
  EXPECT_EQ(Str(GetPartner("a.com"), "description"), "y");
  EXPECT_EQ(Str(GetPartner("c.com"), "description"), "y");
  EXPECT_EQ(Str(GetPartner("b.com"), "description"), "x");
}

TEST_F(PipelineTest, ARuleOfSetPartnerRefusesTheTargetItBreaks) {
  NewPartner("d.com", {"--additional-domains", "d.net"});
  CliResult result = Cli(
      {"set-partner", "-", "--add-additional-domains", "d.net", "-o", "ndjson"},
      "a.com\nd.com\n");
  EXPECT_EQ(result.exit_code, 4) << result;
  EXPECT_THAT(Results(result),
              ElementsAre("1 a.com refused", "2 d.com unchanged"));
  EXPECT_THAT(result.out, HasSubstr("already belongs to partner d.com"));
}

TEST_F(PipelineTest, FromInputAppliesTheObjectsFieldsAndTheOptionsWin) {
  CliResult result =
      Cli({"set-partner", "-", "--from-input", "--connection-limit", "9", "-o",
           "ndjson"},
          "{\"identity\":\"a.com\",\"description\":\"edited\","
          "\"connectionLimit\":3,\"revision\":1}\n"
          "{\"identity\":\"b.com\",\"tlsNegotiation\":\"Sometimes\"}\n"
          "c.com\n");
  EXPECT_EQ(result.exit_code, 4) << result;
  EXPECT_THAT(Results(result), ElementsAre("1 a.com updated", "2 b.com refused",
                                           "3 c.com updated"));
  EXPECT_THAT(result.out, HasSubstr("tlsNegotiation=Sometimes"));
  JsonValue a = GetPartner("a.com");
  EXPECT_EQ(Str(a, "description"), "edited");
  EXPECT_EQ(Num(a, "connectionLimit"), 9);
  EXPECT_EQ(Num(GetPartner("c.com"), "connectionLimit"), 9);

  // Without --from-input the object's other keys are ignored.
  CliResult ignored =
      Cli({"set-partner", "-", "--enable-keep-alive", "false"},
          "{\"identity\":\"a.com\",\"description\":\"not applied\"}\n");
  EXPECT_EQ(ignored.exit_code, 0) << ignored;
  EXPECT_EQ(Str(GetPartner("a.com"), "description"), "edited");
}

TEST_F(PipelineTest, AtomicWritesAllTargetsOrNone) {
  CliResult failed = Cli(
      {"set-partner", "-", "--atomic", "--description", "z", "-o", "ndjson"},
      "a.com\nnope.com\nb.com\n");
  EXPECT_EQ(failed.exit_code, 3) << failed;
  EXPECT_THAT(failed.err, HasSubstr("nothing was written (--atomic)"));
  EXPECT_EQ(Num(GetPartner("a.com"), "revision"), 1);
  EXPECT_EQ(Num(GetPartner("b.com"), "revision"), 1);

  CliResult removed =
      Cli({"remove-partner", "-", "--atomic", "--force", "-o", "ndjson"},
          "a.com\nb.com\n");
  EXPECT_EQ(removed.exit_code, 0) << removed;
  EXPECT_THAT(Results(removed),
              ElementsAre("1 a.com removed", "2 b.com removed"));
  EXPECT_THAT(Identities(), ElementsAre("c.com"));
}

TEST_F(PipelineTest, WhatIfPlansTheWholeBatchAndWritesNothing) {
  CliResult removal = Cli({"remove-partner", "-", "--what-if", "-o", "ndjson"},
                          "a.com\nb.com\na.com\n");
  EXPECT_EQ(removal.exit_code, 3) << removal;
  EXPECT_THAT(
      Results(removal),
      ElementsAre("1 a.com removed", "2 b.com removed", "3 a.com notFound"));
  EXPECT_THAT(removal.err, HasSubstr("What if: Removing partner a.com\n"));
  EXPECT_THAT(removal.err, HasSubstr("What if: would have 2 removed, 1 not "
                                     "found, 0 refused; nothing was written"));
  EXPECT_THAT(Identities(), ElementsAre("a.com", "b.com", "c.com"));

  CliResult change =
      Cli({"set-partner", "-", "--what-if", "--tls-negotiation", "Required"},
          "b.com\n");
  EXPECT_EQ(change.exit_code, 0) << change;
  EXPECT_THAT(change.err, HasSubstr("What if: Changing partner b.com: "
                                    "tlsNegotiation Optional -> Required"));
  EXPECT_EQ(Tls("b.com"), "Optional");
}

TEST_F(PipelineTest, GetPartnerPrintsThePartnersNamedAndTheMissingOnStderr) {
  CliResult result =
      Cli({"get-partner", "-", "-o", "json"}, "c.com\nnope.com\na.com\n");
  EXPECT_EQ(result.exit_code, 3) << result;
  JsonValue list;
  ASSERT_TRUE(ParseJson(result.out, &list)) << result;
  std::vector<std::string> identities;
  for (const JsonValue& partner : Elements(list)) {
    identities.push_back(Str(partner, "identity"));
    EXPECT_EQ(Str(partner, "tlsNegotiation"), "Optional");
  }
  EXPECT_THAT(identities, ElementsAre("c.com", "a.com"));
  EXPECT_THAT(result.err,
              HasSubstr("get-partner: line 2: identity=nope.com: no partner "
                        "has this identity"));
}

TEST_F(PipelineTest, PassThruPrintsThePartnersAsChanged) {
  CliResult result = Cli({"set-partner", "-", "--pass-thru", "--partner-type",
                          "Federated", "-o", "ndjson"},
                         "b.com\nnope.com\n");
  EXPECT_EQ(result.exit_code, 3) << result;
  std::vector<JsonValue> partners;
  ASSERT_TRUE(ParseNdjson(result.out, &partners)) << result;
  ASSERT_EQ(partners.size(), 1u);
  EXPECT_EQ(Str(partners[0], "partnerType"), "Federated");
  EXPECT_EQ(Num(partners[0], "revision"), 2);
  EXPECT_THAT(result.err, HasSubstr("line 2: identity=nope.com"));
}

TEST_F(PipelineTest, RemovalWithoutATerminalNeedsForce) {
  CliResult refused = Cli({"remove-partner", "-"}, "a.com\n");
  EXPECT_EQ(refused.exit_code, 5) << refused;
  EXPECT_THAT(refused.err, HasSubstr("no terminal to ask on"));
  EXPECT_THAT(refused.err, HasSubstr("--force"));
  EXPECT_THAT(Identities(), ElementsAre("a.com", "b.com", "c.com"));

  CliResult forced =
      Cli({"remove-partner", "-", "--force", "-o", "csv"}, "a.com\nc.com\n");
  EXPECT_EQ(forced.exit_code, 0) << forced;
  EXPECT_EQ(forced.out,
            "line,identity,status,error\n1,a.com,removed,\n2,c.com,removed,\n");
  EXPECT_THAT(Identities(), ElementsAre("b.com"));
}

TEST_F(PipelineTest, ResultsComeBackBeforeTheInputEnds) {
  RunOptions options;
  options.new_session = true;
  std::unique_ptr<LiveProcess> cli = StartCli(
      {"set-partner", "-", "--description", "streamed", "-o", "ndjson"},
      options);
  ASSERT_TRUE(cli->Write("a.com\n"));
  EXPECT_TRUE(cli->WaitForOutput("\"identity\":\"a.com\"", kWait))
      << cli->out() << cli->err();
  EXPECT_EQ(Str(GetPartner("a.com"), "description"), "streamed")
      << "a result received is a change made";
  ASSERT_TRUE(cli->Write("b.com\n"));
  EXPECT_TRUE(cli->WaitForOutput("\"identity\":\"b.com\"", kWait));
  ExitStatus status = cli->Finish(kWait);
  EXPECT_EQ(status.ExitCodeOrMinusOne(), 0) << status << cli->err();
}

class PromptTest : public PipelineTest {
 protected:
  // remove-partner - (plus `extra`) with `targets` on stdin and a terminal;
  // waits for the question, answers `answer`; returns the exit code.
  int AnswerOnTheTerminal(const std::string& targets, const std::string& answer,
                          std::vector<std::string> args) {
    RunOptions options;
    options.controlling_terminal = terminal_.device();
    std::unique_ptr<LiveProcess> cli = StartCli(args, options);
    EXPECT_TRUE(cli->Write(targets));
    cli->CloseStdin();
    EXPECT_TRUE(terminal_.WaitFor("[y/N] ", kWait))
        << terminal_.shown() << cli->err();
    EXPECT_TRUE(terminal_.Type(answer));
    ExitStatus status = cli->Finish(kWait);
    out_ = cli->out();
    err_ = cli->err();
    return status.ExitCodeOrMinusOne();
  }

  void SetUp() override {
    PipelineTest::SetUp();
    ASSERT_EQ(terminal_.error(), "");
  }

  PseudoTerminal terminal_;
  std::string out_, err_;
};

TEST_F(PromptTest, RemovalAsksOnTheTerminalWhatItWouldRemove) {
  int code = AnswerOnTheTerminal("a.com\nnope.com\nb.com\n", "y\n",
                                 {"remove-partner", "-", "-o", "ndjson"});
  EXPECT_EQ(code, 3) << out_ << err_;
  EXPECT_THAT(terminal_.shown(),
              HasSubstr("Remove 2 partners named on stdin: a.com, b.com "
                        "(other targets: 1 not found)? [y/N] "));
  EXPECT_THAT(err_, Not(HasSubstr("[y/N]"))) << "asked on the terminal only";
  EXPECT_THAT(out_, HasSubstr("\"identity\":\"b.com\",\"status\":\"removed\""));
  EXPECT_THAT(Identities(), ElementsAre("c.com"));
}

TEST_F(PromptTest, TheAnswerComesFromTheTerminalNotFromStdin) {
  // A "y" on stdin is a target (refused), never the answer.
  int code = AnswerOnTheTerminal("y\na.com\n", "n\n", {"remove-partner", "-"});
  EXPECT_EQ(code, 5) << out_ << err_;
  EXPECT_THAT(err_, HasSubstr("remove-partner: cancelled"));
  EXPECT_THAT(Identities(), ElementsAre("a.com", "b.com", "c.com"));
}

TEST_F(PromptTest, ConfirmAsksBeforeAChangeToo) {
  int code = AnswerOnTheTerminal(
      "b.com\n", "yes\n",
      {"set-partner", "-", "--confirm", "--description", "asked"});
  EXPECT_EQ(code, 0) << out_ << err_;
  EXPECT_THAT(terminal_.shown(),
              HasSubstr("Change 1 partner named on stdin: b.com? [y/N] "));
  EXPECT_EQ(Str(GetPartner("b.com"), "description"), "asked");
}

}  // namespace
}  // namespace xmppfed::testing
