// XEP-0288 against Prosody 0.12's mod_s2s_bidi, both ways: whichever side
// opens the stream asks for bidi, the other accepts, and a message each
// way then travels over that one TCP connection (get-session lists one
// bidirectional stream; the namespace's socket table holds one
// connection between the two servers).
#include <gtest/gtest.h>

#include "tests/integration/prosody/prosody_fixture.h"
#include "tests/support/tcp_connections.h"

namespace xmppfed::testing {
namespace {

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class ProsodyBidiTest : public ProsodyInteropTest {
 protected:
  // SASL EXTERNAL both ways (no dialback verification connection): the
  // agent with SASL required, Prosody with s2s_secure_auth and bidi.
  void StartBoth() {
    StartAgent();
    AddPartner({"--tls-negotiation", "Required", "--sasl-negotiation",
                "Required", "--support-dialback-negotiation", "false",
                "--partner-type", "Federated"});
    StartProsody(/*s2s_require_encryption=*/true, /*s2s_secure_auth=*/true,
                 /*s2s_bidi=*/true);
    ConnectGateway();
    ConnectBob();
  }

  // The one stream of the agent, once both messages went over it.
  void ExpectOneBidiStream(const std::string& direction) {
    std::vector<JsonValue> sessions = Sessions();
    ASSERT_EQ(sessions.size(), 1u) << Cli({"get-session"}).out << Logs();
    EXPECT_EQ(Str(sessions[0], "direction"), direction);
    EXPECT_EQ(Str(sessions[0], "auth"), "SaslExternal");
    EXPECT_TRUE(Bool(sessions[0], "bidirectional"));
    EXPECT_GE(Num(sessions[0], "stanzasIn"), 1);
    EXPECT_GE(Num(sessions[0], "stanzasOut"), 1);
    std::string agent_s2s = std::string(kAgentAddress) + ":5269";
    std::string prosody_s2s = std::string(kProsodyAddress) + ":5269";
    EXPECT_EQ(EstablishedConnectionsTo({agent_s2s, prosody_s2s}), 1) << Logs();
  }
};

TEST_F(ProsodyBidiTest, ProsodyAsksAndTheAgentAnswersOnItsStream) {
  StartBoth();
  ASSERT_NE(FromBob("b1", "bidi-in"), "") << Logs();
  ASSERT_NE(ToBob("b2", "bidi-back"), "") << Logs();
  ExpectOneBidiStream("Inbound");
  EXPECT_TRUE(Has(prosody_->Log(), "Requesting bidirectional stream"));
  EXPECT_TRUE(Has(agent_->Log(), "info s2s.inbound.bidi "));
}

TEST_F(ProsodyBidiTest, TheAgentAsksAndProsodyAnswersOnItsStream) {
  StartBoth();
  ASSERT_NE(ToBob("b3", "bidi-out"), "") << Logs();
  ASSERT_NE(FromBob("b4", "bidi-answer"), "") << Logs();
  ExpectOneBidiStream("Outbound");
  EXPECT_TRUE(Has(prosody_->Log(), "Requested bidirectional stream"));
  EXPECT_TRUE(Has(agent_->Log(), "info s2s.outbound.bidi "));
}

TEST_F(ProsodyBidiTest, WithTheSettingOffEachSideOpensItsOwnStream) {
  StartBoth();
  CliResult off =
      Cli({"set-gateway-config", "--enable-bidirectional-streams", "false"});
  ASSERT_EQ(off.exit_code, 0) << off;
  ASSERT_NE(ToBob("b5", "two-out"), "") << Logs();
  ASSERT_NE(FromBob("b6", "two-in"), "") << Logs();
  EXPECT_FALSE(Bool(WaitForEstablished("Outbound"), "bidirectional"));
  EXPECT_FALSE(Bool(WaitForEstablished("Inbound"), "bidirectional"));
  EXPECT_FALSE(Has(prosody_->Log(), "bidirectional stream"));
}

}  // namespace
}  // namespace xmppfed::testing
