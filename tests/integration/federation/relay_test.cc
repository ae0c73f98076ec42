// Messages and presence between two agents, for every valid row of the
// negotiation table (both agents with the same row; each has a certificate
// valid for its domain from a CA the other trusts, so every row that allows
// SASL EXTERNAL uses it), and the live-policy behaviour of established
// streams.
#include <gtest/gtest.h>

#include "tests/integration/federation/federation_fixture.h"

namespace xmppfed::testing {
namespace {

struct Row {
  const char* name;
  const char* tls;
  const char* sasl;
  // The auth get-session must show.
  const char* auth;
  const char* dialback = "true";
};

class RelayTest : public FederationTest,
                  public ::testing::WithParamInterface<Row> {
 protected:
  void SetUp() override {
    FederationTest::SetUp();
    StartAgent(example_, partner_.certificates.ca_cert);
    StartAgent(partner_, example_.certificates.ca_cert);
    const Row& row = GetParam();
    std::vector<std::string> policy = {"--tls-negotiation",
                                       row.tls,
                                       "--sasl-negotiation",
                                       row.sasl,
                                       "--support-dialback-negotiation",
                                       row.dialback,
                                       "--partner-type",
                                       "Federated"};
    AddPartner(example_, partner_, policy);
    AddPartner(partner_, example_, policy);
    ConnectGateway(example_);
    ConnectGateway(partner_);
  }
};

TEST_P(RelayTest, MessageAndPresenceArriveIntactBothWays) {
  std::string there = Relay(example_, partner_, "hello-partner");
  ASSERT_NE(there, "") << "example.test log:\n"
                       << example_.agent->Log() << "\npartner.test log:\n"
                       << partner_.agent->Log();
  EXPECT_NE(there.find("from=\"alice@example.test\""), std::string::npos)
      << there;
  EXPECT_NE(there.find("to=\"bob@partner.test\""), std::string::npos) << there;
  EXPECT_NE(there.find("type=\"chat\""), std::string::npos) << there;

  std::string back = Relay(partner_, example_, "hello-example");
  ASSERT_NE(back, "") << partner_.agent->Log();
  EXPECT_NE(back.find("from=\"alice@partner.test\""), std::string::npos)
      << back;

  example_.gateway->Send(
      "<presence from='alice@example.test' to='bob@partner.test'><status>"
      "Out to lunch &amp; back at 2</status></presence>");
  std::optional<std::string> presence =
      partner_.gateway->WaitFor([](const std::string& xml) {
        return xml.find("<presence") != std::string::npos;
      });
  ASSERT_TRUE(presence.has_value());
  EXPECT_NE(presence->find("Out to lunch &amp; back at 2"), std::string::npos)
      << *presence;
}

// The authenticated streams of one direction (a dialback verification
// connection may still be closing when the list is taken).
std::vector<JsonValue> Established(const std::vector<JsonValue>& sessions,
                                   const std::string& direction) {
  std::vector<JsonValue> found;
  for (const JsonValue& session : sessions) {
    if (Str(session, "direction") == direction &&
        !Str(session, "auth").empty()) {
      found.push_back(session);
    }
  }
  return found;
}

TEST_P(RelayTest, SessionsShowHowEachStreamWasSecured) {
  ASSERT_NE(Relay(example_, partner_, "first"), "") << example_.agent->Log();
  std::vector<JsonValue> sessions = Established(Sessions(example_), "Outbound");
  ASSERT_EQ(sessions.size(), 1u);
  const JsonValue& outbound = sessions[0];
  EXPECT_EQ(Str(outbound, "direction"), "Outbound");
  EXPECT_EQ(Str(outbound, "localDomain"), "example.test");
  EXPECT_EQ(Str(outbound, "remoteDomain"), "partner.test");
  EXPECT_EQ(Str(outbound, "partner"), "partner.test");
  EXPECT_EQ(Str(outbound, "auth"), GetParam().auth);
  bool tls = std::string(GetParam().auth) != "DialbackTcp";
  EXPECT_EQ(Str(outbound, "tlsVersion").rfind("TLSv1.", 0) == 0, tls)
      << Str(outbound, "tlsVersion");
  EXPECT_GE(Num(outbound, "stanzasOut"), 1);

  std::vector<JsonValue> inbound = Established(Sessions(partner_), "Inbound");
  ASSERT_EQ(inbound.size(), 1u);
  EXPECT_EQ(Str(inbound[0], "direction"), "Inbound");
  EXPECT_EQ(Str(inbound[0], "auth"), GetParam().auth);
  EXPECT_GE(Num(inbound[0], "stanzasIn"), 1);
}

INSTANTIATE_TEST_SUITE_P(
    NegotiationTable, RelayTest,
    ::testing::Values(
        Row{"TlsRequiredDialback", "Required", "NotSupported", "DialbackTls"},
        Row{"TlsOptionalDialback", "Optional", "NotSupported", "DialbackTls"},
        Row{"NoTlsDialback", "NotSupported", "NotSupported", "DialbackTcp"},
        Row{"TlsRequiredSaslRequired", "Required", "Required", "SaslExternal",
            "false"},
        Row{"TlsRequiredSaslRequiredDialback", "Required", "Required",
            "SaslExternal", "true"},
        Row{"TlsRequiredSaslOptionalDialback", "Required", "Optional",
            "SaslExternal", "true"},
        Row{"TlsRequiredSaslOptional", "Required", "Optional", "SaslExternal",
            "false"},
        Row{"TlsOptionalSaslRequiredDialback", "Optional", "Required",
            "SaslExternal", "true"},
        Row{"TlsOptionalSaslRequired", "Optional", "Required", "SaslExternal",
            "false"},
        Row{"TlsOptionalSaslOptionalDialback", "Optional", "Optional",
            "SaslExternal", "true"},
        Row{"TlsOptionalSaslOptional", "Optional", "Optional", "SaslExternal",
            "false"}),
    [](const ::testing::TestParamInfo<Row>& info) { return info.param.name; });

class LivePolicyTest : public FederationTest {
 protected:
  void SetUp() override {
    FederationTest::SetUp();
    StartAgent(example_, partner_.certificates.ca_cert);
    StartAgent(partner_, example_.certificates.ca_cert);
    std::vector<std::string> policy = {"--sasl-negotiation", "NotSupported",
                                       "--partner-type", "Federated"};
    AddPartner(example_, partner_, policy);
    AddPartner(partner_, example_, policy);
    ConnectGateway(example_);
    ConnectGateway(partner_);
  }
};

TEST_F(LivePolicyTest, RemovingThePartnerClosesItsLiveStreams) {
  ASSERT_NE(Relay(example_, partner_, "before"), "") << example_.agent->Log();
  ASSERT_EQ(Sessions(partner_).size(), 1u);
  CliResult removed =
      partner_.Cli({"remove-partner", "example.test", "--force"});
  ASSERT_EQ(removed.exit_code, 0) << removed;
  // The inbound stream at partner.test closes at once...
  for (int i = 0; i < 50 && !Sessions(partner_).empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(Sessions(partner_).empty());
  EXPECT_TRUE(WaitForLog(partner_, "no longer a partner"));
  // ...and a new attempt from example.test is refused and bounced.
  example_.gateway->Send(
      "<message from='alice@example.test' to='bob@partner.test' id='after'>"
      "<body>after</body></message>");
  std::optional<std::string> bounce =
      example_.gateway->WaitFor([](const std::string& xml) {
        return xml.find("id=\"after\"") != std::string::npos &&
               xml.find("type=\"error\"") != std::string::npos;
      });
  ASSERT_TRUE(bounce.has_value()) << example_.agent->Log();
  EXPECT_NE(bounce->find("remote-server-not-found"), std::string::npos)
      << *bounce;
}

TEST_F(LivePolicyTest, StricterPolicyClosesAStreamSecuredLess) {
  // partner.test's policy for example.test becomes "TLS NotSupported" is
  // not stricter; requiring TLS is, for a stream that has none.
  CliResult set = partner_.Cli(
      {"set-partner", "example.test", "--tls-negotiation", "NotSupported"});
  ASSERT_EQ(set.exit_code, 0) << set;
  CliResult set_back = example_.Cli(
      {"set-partner", "partner.test", "--tls-negotiation", "NotSupported"});
  ASSERT_EQ(set_back.exit_code, 0) << set_back;
  ASSERT_NE(Relay(example_, partner_, "plain"), "") << example_.agent->Log();
  ASSERT_EQ(Str(Sessions(partner_)[0], "auth"), "DialbackTcp");
  CliResult stricter = partner_.Cli(
      {"set-partner", "example.test", "--tls-negotiation", "Required"});
  ASSERT_EQ(stricter.exit_code, 0) << stricter;
  for (int i = 0; i < 50 && !Sessions(partner_).empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(Sessions(partner_).empty()) << partner_.agent->Log();
}

TEST_F(LivePolicyTest, RemoveSessionClosesTheStream) {
  ASSERT_NE(Relay(example_, partner_, "one"), "") << example_.agent->Log();
  std::vector<JsonValue> sessions = Sessions(example_);
  ASSERT_EQ(sessions.size(), 1u);
  std::string id = std::to_string(static_cast<long>(Num(sessions[0], "id")));
  CliResult removed = example_.Cli({"remove-session", id, "--force"});
  ASSERT_EQ(removed.exit_code, 0) << removed;
  for (int i = 0; i < 50 && !Sessions(example_).empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(Sessions(example_).empty());
  // The next message opens a new stream.
  EXPECT_NE(Relay(example_, partner_, "two"), "") << example_.agent->Log();
}

TEST_F(LivePolicyTest, MessageBodiesAreLoggedOnlyWhenTheOperatorAsks) {
  ASSERT_NE(Relay(example_, partner_, "private-words"), "")
      << example_.agent->Log();
  EXPECT_EQ(example_.agent->Log().find("private-words"), std::string::npos);
  EXPECT_EQ(partner_.agent->Log().find("private-words"), std::string::npos);
  // Each stream event still has its line.
  EXPECT_NE(example_.agent->Log().find("s2s.outbound.authenticated"),
            std::string::npos);
  EXPECT_NE(partner_.agent->Log().find("s2s.inbound.authenticated"),
            std::string::npos);

  for (Site* site : {&example_, &partner_}) {
    CliResult set =
        site->Cli({"set-gateway-config", "--enable-logging-all-message-bodies",
                   "true", "--force"});
    ASSERT_EQ(set.exit_code, 0) << set;
  }
  ASSERT_NE(Relay(example_, partner_, "logged-words"), "")
      << example_.agent->Log();
  EXPECT_NE(example_.agent->Log().find("s2s.message.out"), std::string::npos)
      << example_.agent->Log();
  EXPECT_NE(example_.agent->Log().find("body=\"logged-words\""),
            std::string::npos);
  EXPECT_NE(partner_.agent->Log().find("s2s.message.in"), std::string::npos)
      << partner_.agent->Log();
  EXPECT_NE(partner_.agent->Log().find("body=\"logged-words\""),
            std::string::npos);
}

}  // namespace
}  // namespace xmppfed::testing
