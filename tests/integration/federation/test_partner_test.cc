// `xmppfed test-partner` between two agents: every step passes where
// federation works as configured, and the first failing step is named with
// a diagnosis where it does not.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/integration/federation/federation_fixture.h"
#include "tests/support/ports.h"

namespace xmppfed::testing {
namespace {

using ::testing::HasSubstr;

class TestPartnerTest : public FederationTest {
 protected:
  // Both agents partner each other with `policy`; example.test trusts
  // `example_trusts` (partner.test's CA unless given).
  void Start(std::vector<std::string> policy, std::string example_trusts = "") {
    StartAgent(example_, example_trusts.empty() ? partner_.certificates.ca_cert
                                                : example_trusts);
    StartAgent(partner_, example_.certificates.ca_cert);
    AddPartner(example_, partner_, policy);
    AddPartner(partner_, example_, policy);
  }

  // test-partner -o json: the steps, keyed by name, in order.
  std::vector<JsonValue> Steps(const CliResult& result) {
    JsonValue list;
    EXPECT_TRUE(ParseJson(result.out, &list)) << result;
    std::vector<JsonValue> steps = Elements(list);
    std::vector<std::string> names;
    for (const JsonValue& step : steps) names.push_back(Str(step, "step"));
    EXPECT_THAT(names, ::testing::ElementsAre("dns", "connect", "stream",
                                              "starttls", "auth", "ping"))
        << result;
    return steps;
  }
};

TEST_F(TestPartnerTest, EveryStepPassesWithTlsAndDialback) {
  Start({"--sasl-negotiation", "NotSupported", "--partner-type", "Federated"});
  CliResult result =
      example_.Cli({"test-partner", "partner.test", "-o", "json"});
  ASSERT_EQ(result.exit_code, 0) << result << example_.agent->Log();
  std::vector<JsonValue> steps = Steps(result);
  ASSERT_EQ(steps.size(), 6u);
  for (const JsonValue& step : steps) {
    EXPECT_EQ(Str(step, "result"), "Passed") << ToJson(step);
    EXPECT_EQ(Str(step, "diagnosis"), "") << ToJson(step);
  }
  EXPECT_THAT(Str(steps[0], "detail"), HasSubstr("proxyFqdn"));
  EXPECT_THAT(Str(steps[1], "detail"), HasSubstr("127.0.0.1:"));
  EXPECT_THAT(Str(steps[2], "detail"), HasSubstr("starttls"));
  EXPECT_THAT(Str(steps[3], "detail"), HasSubstr("TLSv1."));
  EXPECT_THAT(Str(steps[3], "detail"), HasSubstr("CN=partner.test"));
  EXPECT_THAT(Str(steps[3], "detail"), HasSubstr("chain trusted: yes"));
  EXPECT_THAT(Str(steps[4], "detail"), HasSubstr("DialbackTls"));
  EXPECT_THAT(Str(steps[5], "detail"), HasSubstr("pong from partner.test"));
  EXPECT_THAT(result.err, HasSubstr("federation works as configured"));
}

TEST_F(TestPartnerTest, StartTlsIsSkippedWhenThePolicyHasNoTls) {
  Start({"--tls-negotiation", "NotSupported", "--sasl-negotiation",
         "NotSupported", "--partner-type", "Federated"});
  CliResult result =
      example_.Cli({"test-partner", "partner.test", "-o", "json"});
  ASSERT_EQ(result.exit_code, 0) << result << example_.agent->Log();
  std::vector<JsonValue> steps = Steps(result);
  ASSERT_EQ(steps.size(), 6u);
  EXPECT_EQ(Str(steps[3], "result"), "Skipped");
  EXPECT_EQ(Str(steps[4], "result"), "Passed");
  EXPECT_THAT(Str(steps[4], "detail"), HasSubstr("DialbackTcp"));
  EXPECT_EQ(Str(steps[5], "result"), "Passed");
}

TEST_F(TestPartnerTest, AnUnreachableServerFailsAtConnect) {
  Start({"--sasl-negotiation", "NotSupported"});
  CliResult moved =
      example_.Cli({"set-partner", "partner.test", "--proxy-fqdn",
                    "127.0.0.1:" + std::to_string(ClosedLoopbackPort())});
  ASSERT_EQ(moved.exit_code, 0) << moved;
  CliResult result =
      example_.Cli({"test-partner", "partner.test", "-o", "json"});
  EXPECT_EQ(result.exit_code, 1) << result;
  std::vector<JsonValue> steps = Steps(result);
  ASSERT_EQ(steps.size(), 6u);
  EXPECT_EQ(Str(steps[0], "result"), "Passed");
  EXPECT_EQ(Str(steps[1], "result"), "Failed");
  EXPECT_THAT(Str(steps[1], "diagnosis"), HasSubstr("firewall"));
  for (size_t i = 2; i < steps.size(); ++i) {
    EXPECT_EQ(Str(steps[i], "result"), "Skipped") << ToJson(steps[i]);
  }
  EXPECT_THAT(result.err, HasSubstr("connect failed"));
}

TEST_F(TestPartnerTest, AnUntrustedCertificateFailsAtStartTls) {
  TempDir elsewhere;
  Certificates stranger =
      MakeCertificates(elsewhere.path(), "Stranger CA", {"stranger.test"});
  // example.test does not trust partner.test's CA; TLS is required.
  Start({"--sasl-negotiation", "NotSupported"}, stranger.ca_cert);
  CliResult result =
      example_.Cli({"test-partner", "partner.test", "-o", "json"});
  EXPECT_EQ(result.exit_code, 1) << result;
  std::vector<JsonValue> steps = Steps(result);
  ASSERT_EQ(steps.size(), 6u);
  EXPECT_EQ(Str(steps[2], "result"), "Passed");
  EXPECT_EQ(Str(steps[3], "result"), "Failed") << ToJson(steps[3]);
  EXPECT_THAT(Str(steps[3], "detail"), HasSubstr("chain trusted: no"));
  EXPECT_THAT(Str(steps[3], "diagnosis"), HasSubstr("--ca-file"));
}

// partner.test's agent has not allowed example.test: it closes the stream
// with <policy-violation/>, and the diagnosis says that, not "is it an XMPP
// server?".
TEST_F(TestPartnerTest, APartnerThatHasNotAllowedUsIsNamedAsTheCause) {
  StartAgent(example_, partner_.certificates.ca_cert);
  StartAgent(partner_, example_.certificates.ca_cert);
  AddPartner(example_, partner_, {"--sasl-negotiation", "NotSupported"});
  CliResult result =
      example_.Cli({"test-partner", "partner.test", "-o", "json"});
  EXPECT_EQ(result.exit_code, 1) << result;
  std::vector<JsonValue> steps = Steps(result);
  ASSERT_EQ(steps.size(), 6u);
  const JsonValue* failed = nullptr;
  for (const JsonValue& step : steps) {
    if (Str(step, "result") == "Failed") failed = &step;
  }
  ASSERT_NE(failed, nullptr) << result;
  EXPECT_THAT(Str(*failed, "detail"),
              HasSubstr("the peer sent the stream error <policy-violation/>"))
      << ToJson(*failed);
  EXPECT_THAT(Str(*failed, "diagnosis"),
              HasSubstr("has not allowed example.test"));
  EXPECT_THAT(Str(*failed, "diagnosis"),
              ::testing::Not(HasSubstr("is it an XMPP server")));
  // The table's Detail column carries it too, not only stderr.
  CliResult table = example_.Cli({"test-partner", "partner.test"});
  EXPECT_THAT(table.out, HasSubstr("<policy-violation/>")) << table;
}

// A partner whose proxyFqdn leads to a server that does not host it.
TEST_F(TestPartnerTest, AServerThatDoesNotHostThePartnerIsNamed) {
  Start({"--sasl-negotiation", "NotSupported"});
  CliResult added = example_.Cli(
      {"new-partner", "elsewhere.test", "--sasl-negotiation", "NotSupported",
       "--proxy-fqdn", "127.0.0.1:" + std::to_string(partner_.s2s_port)});
  ASSERT_EQ(added.exit_code, 0) << added;
  CliResult result =
      example_.Cli({"test-partner", "elsewhere.test", "-o", "json"});
  EXPECT_EQ(result.exit_code, 1) << result;
  std::vector<JsonValue> steps = Steps(result);
  ASSERT_EQ(steps.size(), 6u);
  EXPECT_EQ(Str(steps[2], "result"), "Failed") << result;
  EXPECT_THAT(Str(steps[2], "detail"), HasSubstr("<host-unknown/>"));
  EXPECT_THAT(Str(steps[2], "diagnosis"),
              HasSubstr("does not serve elsewhere.test"));
}

TEST_F(TestPartnerTest, AnUnknownPartnerIsNotFound) {
  Start({"--sasl-negotiation", "NotSupported"});
  CliResult result = example_.Cli({"test-partner", "nobody.test"});
  EXPECT_EQ(result.exit_code, 3) << result;
  EXPECT_THAT(result.err, HasSubstr("nobody.test"));
  EXPECT_EQ(result.out, "");
}

TEST_F(TestPartnerTest, TheTableShowsEachStepAndTheTimeItTook) {
  Start({"--sasl-negotiation", "NotSupported", "--partner-type", "Federated"});
  CliResult result = example_.Cli({"test-partner", "partner.test"});
  ASSERT_EQ(result.exit_code, 0) << result;
  EXPECT_THAT(result.out, HasSubstr("Step"));
  EXPECT_THAT(result.out, HasSubstr("Ms"));
  EXPECT_THAT(result.out, HasSubstr("ping"));
  EXPECT_THAT(result.out, HasSubstr("Passed"));
}

TEST(TestPartnerUsageTest, NeedsOneIdentityAndATimeoutInRange) {
  TempDir dir;
  std::string socket = dir.File("absent.sock");
  CliResult none = RunCli({"test-partner"}, socket);
  EXPECT_EQ(none.exit_code, 2) << none;
  EXPECT_THAT(none.err, HasSubstr("IDENTITY"));
  CliResult two = RunCli({"test-partner", "a.test", "b.test"}, socket);
  EXPECT_EQ(two.exit_code, 2) << two;
  CliResult zero = RunCli({"test-partner", "a.test", "--timeout", "0"}, socket);
  EXPECT_EQ(zero.exit_code, 2) << zero;
  EXPECT_THAT(zero.err, HasSubstr("--timeout"));
}

TEST_F(TestPartnerTest, EachTargetOnStdinGetsItsOwnResultInInputOrder) {
  Start({"--sasl-negotiation", "NotSupported", "--partner-type", "Federated"});
  CliResult down = example_.Cli(
      {"new-partner", "down.test", "--sasl-negotiation", "NotSupported",
       "--proxy-fqdn", "127.0.0.1:" + std::to_string(ClosedLoopbackPort())});
  ASSERT_EQ(down.exit_code, 0) << down;
  CliResult result = RunCli({"test-partner", "-", "-o", "ndjson"},
                            example_.agent->socket_path(),
                            "down.test\n# a comment\n\nnope.example\n"
                            "{\"identity\":\"partner.test\"}\n");
  EXPECT_EQ(result.exit_code, 4) << result << example_.agent->Log();
  std::vector<JsonValue> results;
  ASSERT_TRUE(ParseNdjson(result.out, &results)) << result;
  ASSERT_EQ(results.size(), 3u) << result;
  EXPECT_EQ(Num(results[0], "line"), 1);
  EXPECT_EQ(Str(results[0], "identity"), "down.test");
  EXPECT_EQ(Str(results[0], "status"), "failed");
  EXPECT_THAT(Str(results[0], "error"), HasSubstr("connect failed: "));
  EXPECT_EQ(Num(results[1], "line"), 4);
  EXPECT_EQ(Str(results[1], "status"), "notFound");
  EXPECT_EQ(Num(results[2], "line"), 5);
  EXPECT_EQ(Str(results[2], "identity"), "partner.test");
  EXPECT_EQ(Str(results[2], "status"), "passed") << ToJson(results[2]);
  EXPECT_FALSE(Has(results[2], "error"));
  EXPECT_THAT(result.err, HasSubstr("test-partner: 1 passed, 1 failed, 1 not "
                                    "found, 0 refused"));
}

}  // namespace
}  // namespace xmppfed::testing
