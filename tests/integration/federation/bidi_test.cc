// XEP-0288 between two agents: with the gateway setting on at both (the
// default) a message each way travels over one TCP connection, shown by
// get-session on both sides and by the kernel's socket table; with the
// setting off at either side, or a TLS-capable policy on a stream that
// went without TLS, each direction has its own stream, as before.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "tests/integration/federation/federation_fixture.h"
#include "tests/support/tcp_connections.h"

namespace xmppfed::testing {
namespace {

// Authenticated S2S streams (a dialback verifier's connection has no auth
// and closes once it answered).
std::vector<JsonValue> Authenticated(const std::vector<JsonValue>& sessions) {
  std::vector<JsonValue> found;
  for (const JsonValue& session : sessions) {
    if (!Str(session, "auth").empty()) found.push_back(session);
  }
  return found;
}

// The TCP connections between the two agents (to either S2S port).
int ConnectionsBetween(const Site& a, const Site& b) {
  return EstablishedConnectionsTo({"127.0.0.1:" + std::to_string(a.s2s_port),
                                   "127.0.0.1:" + std::to_string(b.s2s_port)});
}

class BidiTest : public FederationTest {
 protected:
  // A message each way, example.test first.
  void RelayBothWays() {
    ASSERT_NE(Relay(example_, partner_, "there"), "")
        << example_.agent->Log() << partner_.agent->Log();
    ASSERT_NE(Relay(partner_, example_, "back"), "")
        << example_.agent->Log() << partner_.agent->Log();
  }

  // Waits (up to 5 s) until `site` lists `count` authenticated streams
  // and nothing else (a verifier connection closing).
  std::vector<JsonValue> SettledSessions(const Site& site, size_t count) {
    std::vector<JsonValue> sessions;
    for (int i = 0; i < 50; ++i) {
      sessions = Sessions(site);
      if (sessions.size() == count && Authenticated(sessions).size() == count) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return sessions;
  }

  void ExpectOneBidiStream() {
    std::vector<JsonValue> ours = SettledSessions(example_, 1);
    ASSERT_EQ(ours.size(), 1u) << example_.Cli({"get-session"}).out;
    EXPECT_EQ(Str(ours[0], "direction"), "Outbound");
    EXPECT_TRUE(Bool(ours[0], "bidirectional"));
    EXPECT_GE(Num(ours[0], "stanzasOut"), 1);
    EXPECT_GE(Num(ours[0], "stanzasIn"), 1) << "the answer came back on it";
    std::vector<JsonValue> theirs = SettledSessions(partner_, 1);
    ASSERT_EQ(theirs.size(), 1u) << partner_.Cli({"get-session"}).out;
    EXPECT_EQ(Str(theirs[0], "direction"), "Inbound");
    EXPECT_TRUE(Bool(theirs[0], "bidirectional"));
    EXPECT_GE(Num(theirs[0], "stanzasOut"), 1);
    int connections = ConnectionsBetween(example_, partner_);
    ASSERT_GE(connections, 0) << "ss (iproute2) is needed";
    EXPECT_EQ(connections, 1);
  }

  void ExpectTwoStreams() {
    for (Site* site : {&example_, &partner_}) {
      std::vector<JsonValue> sessions = SettledSessions(*site, 2);
      ASSERT_EQ(sessions.size(), 2u) << site->Cli({"get-session"}).out;
      std::set<std::string> directions;
      for (const JsonValue& session : sessions) {
        directions.insert(Str(session, "direction"));
        EXPECT_FALSE(Bool(session, "bidirectional")) << site->domain;
      }
      EXPECT_EQ(directions, (std::set<std::string>{"Inbound", "Outbound"}));
    }
    int connections = ConnectionsBetween(example_, partner_);
    ASSERT_GE(connections, 0) << "ss (iproute2) is needed";
    EXPECT_EQ(connections, 2);
  }
};

TEST_F(BidiTest, SaslExternalStreamCarriesBothDirections) {
  StartFederatedPair({"--tls-negotiation", "Required", "--sasl-negotiation",
                      "Required", "--support-dialback-negotiation", "false"});
  RelayBothWays();
  ExpectOneBidiStream();
  EXPECT_TRUE(WaitForLog(example_, "s2s.outbound.bidi"));
  EXPECT_TRUE(WaitForLog(partner_, "s2s.inbound.bidi"));
}

TEST_F(BidiTest, DialbackWithoutTlsIsBidiWhenTlsIsNotSupported) {
  StartFederatedPair({"--tls-negotiation", "NotSupported", "--sasl-negotiation",
                      "NotSupported"});
  RelayBothWays();
  ExpectOneBidiStream();
  EXPECT_EQ(Str(Sessions(example_)[0], "auth"), "DialbackTcp");
}

TEST_F(BidiTest, OffAtTheReceivingSideMeansTwoStreams) {
  StartFederatedPair();
  CliResult off = partner_.Cli(
      {"set-gateway-config", "--enable-bidirectional-streams", "false"});
  ASSERT_EQ(off.exit_code, 0) << off;
  RelayBothWays();
  ExpectTwoStreams();
}

TEST_F(BidiTest, OffAtTheInitiatingSideMeansTwoStreams) {
  StartFederatedPair();
  CliResult off = example_.Cli(
      {"set-gateway-config", "--enable-bidirectional-streams", "false"});
  ASSERT_EQ(off.exit_code, 0) << off;
  RelayBothWays();
  ExpectTwoStreams();
}

TEST_F(BidiTest, NoBidiWhereTlsWasPossibleButNotNegotiated) {
  // example.test may use TLS with partner.test (Optional), partner.test
  // may not (NotSupported): their streams go without TLS, so example.test
  // neither asks for nor offers bidi, whatever partner.test offers.
  StartAgent(example_, partner_.certificates.ca_cert);
  StartAgent(partner_, example_.certificates.ca_cert);
  AddPartner(example_, partner_,
             {"--tls-negotiation", "Optional", "--sasl-negotiation",
              "NotSupported", "--partner-type", "Federated"});
  AddPartner(partner_, example_,
             {"--tls-negotiation", "NotSupported", "--sasl-negotiation",
              "NotSupported", "--partner-type", "Federated"});
  ConnectGateway(example_);
  ConnectGateway(partner_);
  RelayBothWays();
  ExpectTwoStreams();
}

// The setting turned off where the bidi stream was accepted (`receiving`)
// or where it was asked for: either side resets it with <reset/>, and the
// next messages open the streams the setting now allows.
class BidiResetTest : public BidiTest,
                      public ::testing::WithParamInterface<bool> {};

TEST_P(BidiResetTest, TurningTheSettingOffResetsBidiStreams) {
  StartFederatedPair();
  RelayBothWays();
  ASSERT_TRUE(Bool(SettledSessions(partner_, 1)[0], "bidirectional"));
  Site& site = GetParam() ? partner_ : example_;
  CliResult off = site.Cli(
      {"set-gateway-config", "--enable-bidirectional-streams", "false"});
  ASSERT_EQ(off.exit_code, 0) << off;
  EXPECT_TRUE(WaitForLog(site, "bidirectional streams are no longer"));
  ASSERT_NE(Relay(example_, partner_, "again-there"), "")
      << example_.agent->Log();
  ASSERT_NE(Relay(partner_, example_, "again-back"), "")
      << partner_.agent->Log();
  ExpectTwoStreams();
}

INSTANTIATE_TEST_SUITE_P(Side, BidiResetTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "Receiving" : "Initiating";
                         });

}  // namespace
}  // namespace xmppfed::testing
