// The agent (example.test) against a real Prosody 0.12 (partner.test): what
// a deployment federating with Prosody sees, in both directions. On failure
// the agent's and Prosody's logs are printed (TearDown).
#include <gtest/gtest.h>

#include "tests/integration/prosody/prosody_fixture.h"

namespace xmppfed::testing {
namespace {

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class ProsodyDialbackTest : public ProsodyInteropTest {
 protected:
  void SetUp() override {
    ProsodyInteropTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    StartAgent();
    AddPartner(kDialbackOverTls);
    // Prosody's defaults: encryption required, dialback accepted whatever
    // the certificate.
    StartProsody(/*s2s_require_encryption=*/true, /*s2s_secure_auth=*/false);
    ConnectGateway();
    ConnectBob();
  }

  // Both streams are up, secured with TLS and authenticated with dialback.
  void ExpectDialbackTlsBothWays() {
    JsonValue outbound = WaitForEstablished("Outbound");
    EXPECT_EQ(Str(outbound, "remoteDomain"), kProsodyDomain);
    EXPECT_EQ(Str(outbound, "localDomain"), kAgentDomain);
    EXPECT_EQ(Str(outbound, "partner"), kProsodyDomain);
    EXPECT_EQ(Str(outbound, "auth"), "DialbackTls");
    EXPECT_EQ(Str(outbound, "tlsVersion").rfind("TLSv1.", 0), 0u)
        << Str(outbound, "tlsVersion");
    EXPECT_GE(Num(outbound, "stanzasOut"), 1);

    JsonValue inbound = WaitForEstablished("Inbound");
    EXPECT_EQ(Str(inbound, "remoteDomain"), kProsodyDomain);
    EXPECT_EQ(Str(inbound, "auth"), "DialbackTls");
    EXPECT_EQ(Str(inbound, "tlsVersion").rfind("TLSv1.", 0), 0u)
        << Str(inbound, "tlsVersion");
    EXPECT_GE(Num(inbound, "stanzasIn"), 1);

    // Prosody's side of the same: both its streams encrypted, with the
    // agent's certificate valid, and authenticated by dialback, not SASL.
    std::string log = prosody_->Log();
    EXPECT_TRUE(Has(log,
                    "connection example.test->partner.test is now "
                    "authenticated for example.test"));
    EXPECT_TRUE(Has(log,
                    "connection partner.test->example.test is now "
                    "authenticated for example.test"));
    EXPECT_TRUE(Has(log, "Stream encrypted (TLSv1."));
    EXPECT_TRUE(Has(log, "certificate chain validation result: valid"));
    EXPECT_TRUE(Has(log, "verified dialback key... it is valid"));
    EXPECT_FALSE(Has(log, "Accepting SASL EXTERNAL"));
    EXPECT_FALSE(Has(log, "SASL EXTERNAL with example.test succeeded"));
  }
};

// bob@partner.test writes first: Prosody opens its stream to example.test
// (found through DNS), the agent verifies it by dialback with partner.test,
// and the gateway's answer goes out on the agent's own stream.
TEST_F(ProsodyDialbackTest, MessageFromProsodyUserAndAnswerOverTlsDialback) {
  std::string arrived = FromBob("b1", "hello-from-prosody");
  ASSERT_NE(arrived, "") << "the gateway got nothing";
  EXPECT_TRUE(Has(arrived, "from=\"bob@partner.test/interop\"")) << arrived;
  EXPECT_TRUE(Has(arrived, "to=\"alice@example.test\"")) << arrived;
  EXPECT_TRUE(Has(arrived, "type=\"chat\"")) << arrived;

  std::string answer = ToBob("a1", "hello-from-the-gateway");
  ASSERT_NE(answer, "") << "bob got nothing";
  EXPECT_TRUE(Has(answer, "from=\"alice@example.test/desk\"")) << answer;
  EXPECT_TRUE(Has(answer, "type=\"chat\"")) << answer;

  ExpectDialbackTlsBothWays();
  EXPECT_TRUE(Has(agent_->Log(), "s2s.inbound.authenticated"));
  EXPECT_TRUE(Has(agent_->Log(), "s2s.outbound.authenticated"));
}

// The gateway writes first: the agent opens its stream to partner.test
// (SRV _xmpp-server._tcp.partner.test), Prosody verifies it by dialback
// with example.test, and bob's answer comes back on Prosody's stream.
TEST_F(ProsodyDialbackTest, MessageFromGatewayAndAnswerOverTlsDialback) {
  std::string arrived = ToBob("a1", "hello-prosody-user");
  ASSERT_NE(arrived, "") << "bob got nothing";
  EXPECT_TRUE(Has(arrived, "from=\"alice@example.test/desk\"")) << arrived;
  EXPECT_TRUE(Has(arrived, "to=\"bob@partner.test\"")) << arrived;

  std::string answer = FromBob("b1", "hello-gateway");
  ASSERT_NE(answer, "") << "the gateway got nothing";
  EXPECT_TRUE(Has(answer, "from=\"bob@partner.test/interop\"")) << answer;

  ExpectDialbackTlsBothWays();
  // The agent asked DNS for partner.test's SRV record, as a deployment
  // would, and answered Prosody's dialback verification.
  bool asked = false;
  for (const std::string& question : dns_->questions()) {
    asked = asked || question == "_xmpp-server._tcp.partner.test SRV";
  }
  EXPECT_TRUE(asked);
  EXPECT_TRUE(Has(agent_->Log(), "s2s.dialback.verify"));
}

// Presence and markup pass through both servers intact.
TEST_F(ProsodyDialbackTest, EscapedTextAndPresenceArriveIntact) {
  std::string arrived = ToBob("a2", "fish &amp; chips &lt;3");
  ASSERT_NE(arrived, "");
  std::string back = FromBob("b2", "salt &amp; vinegar");
  ASSERT_NE(back, "");

  gateway_->Send(
      "<presence from='alice@example.test/desk' "
      "to='bob@partner.test/interop'><status>Out to lunch "
      "&amp; back at 2</status></presence>");
  std::optional<std::string> presence =
      bob_->WaitFor([](const std::string& xml) {
        return Has(xml, "<presence") && Has(xml, "alice@example.test");
      });
  ASSERT_TRUE(presence.has_value());
  EXPECT_TRUE(Has(*presence, "Out to lunch &amp; back at 2")) << *presence;
}

// The agent may not use TLS with partner.test; Prosody requires encryption
// (its default, s2s_require_encryption). Neither side downgrades: each
// refuses the other's stream, and each user gets an error for the message.
TEST_F(ProsodyInteropTest, StreamsAreRefusedWhenThePoliciesCannotAgree) {
  StartAgent();
  AddPartner({"--tls-negotiation", "NotSupported", "--sasl-negotiation",
              "NotSupported", "--support-dialback-negotiation", "true",
              "--partner-type", "Federated"});
  StartProsody(/*s2s_require_encryption=*/true, /*s2s_secure_auth=*/false);
  ConnectGateway();
  ConnectBob();

  // example.test -> partner.test: Prosody's features hold
  // <starttls><required/></starttls>; the agent may not use TLS, so it ends
  // the attempt before dialback and bounces the message.
  gateway_->Send(
      "<message from='alice@example.test/desk' to='bob@partner.test' "
      "id='refused-out' type='chat'><body>in the clear?</body></message>");
  std::optional<std::string> bounce = gateway_->WaitFor(
      [](const std::string& xml) { return Has(xml, "id=\"refused-out\""); });
  ASSERT_TRUE(bounce.has_value()) << "no bounce";
  EXPECT_TRUE(Has(*bounce, "type=\"error\"")) << *bounce;
  EXPECT_TRUE(Has(*bounce, "remote-server-not-found")) << *bounce;
  EXPECT_TRUE(Has(agent_->Log(), "s2s.outbound.failed"));
  EXPECT_TRUE(Has(agent_->Log(),
                  "remote=partner.test reason=\"partner.test requires TLS, "
                  "which the partner's policy does not allow\""));
  EXPECT_FALSE(Has(prosody_->Log(), "Received[s2sin_unauthed]: <result"))
      << "the agent tried dialback on a stream Prosody requires TLS for";

  // partner.test -> example.test: the agent offers no STARTTLS; Prosody
  // asks for it anyway, the agent answers <failure/> and closes, and
  // Prosody bounces bob's message.
  bob_->Send(
      "<message to='alice@example.test' id='refused-in' type='chat'>"
      "<body>in the clear!</body></message>");
  std::optional<std::string> error = bob_->WaitFor(
      [](const std::string& xml) { return Has(xml, "id=\"refused-in\""); });
  ASSERT_TRUE(error.has_value()) << "bob got no error";
  EXPECT_TRUE(Has(*error, "type=\"error\"")) << *error;
  EXPECT_TRUE(Has(*error, "TLS negotiation failed")) << *error;
  EXPECT_TRUE(Has(prosody_->Log(), "example.test is *not* offering TLS"));
  EXPECT_TRUE(Has(prosody_->Log(), "TLS negotiation with example.test failed"));
  // Prosody bounces on our <failure/>, which may be before the agent has
  // logged its close.
  EXPECT_TRUE(agent_->WaitForLog(
      "remote=partner.test reason=\"STARTTLS was not offered\""));
  EXPECT_TRUE(Has(agent_->Log(), "s2s.inbound.close"));
  EXPECT_FALSE(
      gateway_
          ->WaitFor(
              [](const std::string& xml) { return Has(xml, "in the clear!"); },
              std::chrono::milliseconds(200))
          .has_value());
  EXPECT_TRUE(Established("Outbound").empty());
  EXPECT_TRUE(Established("Inbound").empty());
}

// SASL EXTERNAL both ways: Prosody with s2s_secure_auth (no dialback on an
// unverified certificate), the agent with SASL required and dialback off.
TEST_F(ProsodyInteropTest, SaslExternalBothWays) {
  StartAgent();
  AddPartner({"--tls-negotiation", "Required", "--sasl-negotiation", "Required",
              "--support-dialback-negotiation", "false", "--partner-type",
              "Federated"});
  StartProsody(/*s2s_require_encryption=*/true, /*s2s_secure_auth=*/true);
  ConnectGateway();
  ConnectBob();

  std::string arrived = ToBob("s1", "sasl-out");
  ASSERT_NE(arrived, "") << "bob got nothing";
  std::string answer = FromBob("s2", "sasl-in");
  ASSERT_NE(answer, "") << "the gateway got nothing";

  JsonValue outbound = WaitForEstablished("Outbound");
  EXPECT_EQ(Str(outbound, "auth"), "SaslExternal");
  JsonValue inbound = WaitForEstablished("Inbound");
  EXPECT_EQ(Str(inbound, "auth"), "SaslExternal");
  EXPECT_TRUE(Has(agent_->Log(), "s2s.outbound.sasl_success"));
  EXPECT_FALSE(Has(agent_->Log(), "s2s.dialback.verify"));
  std::string log = prosody_->Log();
  EXPECT_TRUE(Has(log, "Accepting SASL EXTERNAL identity from example.test"));
  EXPECT_TRUE(Has(log, "SASL EXTERNAL with example.test succeeded"));
  EXPECT_FALSE(Has(log, "Initiating dialback"));
}

// test-partner -o json: "step result" for each step, and the whole output.
std::vector<std::string> StepResults(const CliResult& result) {
  std::vector<std::string> steps;
  JsonValue list;
  if (!ParseJson(result.out, &list)) return steps;
  for (const JsonValue& step : Elements(list)) {
    steps.push_back(Str(step, "step") + " " + Str(step, "result"));
  }
  return steps;
}

TEST_F(ProsodyDialbackTest, TestPartnerReportsSuccessWithDialbackOverTls) {
  CliResult result = Cli({"test-partner", kProsodyDomain, "-o", "json"});
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(StepResults(result),
            (std::vector<std::string>{"dns Passed", "connect Passed",
                                      "stream Passed", "starttls Passed",
                                      "auth Passed", "ping Passed"}))
      << result.out;
  // The real DNS path: the SRV record of partner.test, Prosody's address.
  EXPECT_TRUE(Has(result.out, "127.0.0.3:5269")) << result.out;
  EXPECT_TRUE(Has(result.out, "DialbackTls")) << result.out;
  EXPECT_TRUE(Has(result.out, "pong from partner.test")) << result.out;
}

TEST_F(ProsodyInteropTest, TestPartnerReportsSuccessWithSaslExternal) {
  StartAgent();
  AddPartner({"--tls-negotiation", "Required", "--sasl-negotiation", "Required",
              "--support-dialback-negotiation", "false", "--partner-type",
              "Federated"});
  StartProsody(/*s2s_require_encryption=*/true, /*s2s_secure_auth=*/true);
  CliResult result = Cli({"test-partner", kProsodyDomain, "-o", "json"});
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(StepResults(result),
            (std::vector<std::string>{"dns Passed", "connect Passed",
                                      "stream Passed", "starttls Passed",
                                      "auth Passed", "ping Passed"}))
      << result.out;
  EXPECT_TRUE(Has(result.out, "SaslExternal")) << result.out;
}

}  // namespace
}  // namespace xmppfed::testing
