// What the edge refuses, each with the exact stream error or bounce: real
// agents, and scripted peers (tests/support/raw_stream.h) for the
// misbehaviour no real server would show.
#include <gtest/gtest.h>

#include "tests/integration/federation/federation_fixture.h"
#include "tests/support/raw_stream.h"

namespace xmppfed::testing {
namespace {

constexpr char kStreamErrors[] = "urn:ietf:params:xml:ns:xmpp-streams";

class RefusalTest : public FederationTest {
 protected:
  void SetUp() override {
    FederationTest::SetUp();
    StartAgent(example_, partner_.certificates.ca_cert);
    StartAgent(partner_, example_.certificates.ca_cert);
  }

  // A raw stream to partner.test's S2S port that has sent its header.
  std::unique_ptr<RawStream> OpenRaw(const std::string& from,
                                     const std::string& to = "partner.test") {
    auto raw = std::make_unique<RawStream>(partner_.s2s_port);
    EXPECT_TRUE(raw->connected());
    raw->Send(ServerStreamHeader(from, to));
    return raw;
  }

  // The stream id partner.test gave a raw stream.
  static std::string StreamId(const RawStream& raw) {
    const std::string& text = raw.received();
    size_t start = text.find(" id='");
    if (start == std::string::npos) return "";
    start += 5;
    return text.substr(start, text.find('\'', start) - start);
  }
};

TEST_F(RefusalTest, StreamFromANonPartnerIsAPolicyViolation) {
  auto raw = OpenRaw("stranger.test");
  ASSERT_TRUE(raw->ReadUntilClosed()) << raw->received();
  EXPECT_TRUE(HasStreamError(raw->received(), "policy-violation"))
      << raw->received();
  // Refusals are warnings, naming the condition and the reason.
  EXPECT_TRUE(WaitForLog(
      partner_,
      " warning s2s.inbound.refused id=1 local=partner.test "
      "remote=stranger.test condition=policy-violation reason=\"'stranger.test'"
      " is not a federation partner of partner.test\""))
      << partner_.agent->Log();
}

// A first header may leave 'from' out (RFC 6120 §4.7.1): STARTTLS, required,
// is all such a stream is offered, and nothing else is accepted on it.
TEST_F(RefusalTest, AHeaderWithoutFromIsOfferedOnlyStartTls) {
  auto raw = OpenRaw("");
  ASSERT_TRUE(raw->ReadUntil("</stream:features>")) << raw->received();
  const std::string& offered = raw->received();
  EXPECT_NE(offered.find("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'>"
                         "<required/></starttls>"),
            std::string::npos)
      << offered;
  EXPECT_EQ(offered.find("dialback xmlns="), std::string::npos) << offered;
  EXPECT_EQ(offered.find("<mechanisms"), std::string::npos) << offered;
  raw->Send("<db:result from='example.test' to='partner.test'>k</db:result>");
  ASSERT_TRUE(raw->ReadUntilClosed()) << raw->received();
  EXPECT_TRUE(HasStreamError(raw->received(), "not-authorized"))
      << raw->received();
}

TEST_F(RefusalTest, StreamToAnUnknownDomainIsHostUnknown) {
  auto raw = OpenRaw("example.test", "nowhere.test");
  ASSERT_TRUE(raw->ReadUntilClosed()) << raw->received();
  EXPECT_TRUE(HasStreamError(raw->received(), "host-unknown"))
      << raw->received();
}

TEST_F(RefusalTest, StanzaToANonPartnerIsBouncedNotAllowed) {
  ConnectGateway(example_);
  example_.gateway->Send(
      "<message from='alice@example.test' to='bob@stranger.test' id='x1'>"
      "<body>hi</body></message>");
  std::optional<std::string> bounce =
      example_.gateway->WaitFor([](const std::string& xml) {
        return xml.find("id=\"x1\"") != std::string::npos;
      });
  ASSERT_TRUE(bounce.has_value()) << example_.agent->Log();
  EXPECT_NE(bounce->find("type=\"error\""), std::string::npos) << *bounce;
  EXPECT_NE(bounce->find("<not-allowed"), std::string::npos) << *bounce;
}

TEST_F(RefusalTest, TlsRequiredIsNeverDowngradedForAPeerWithoutTls) {
  AddPartner(
      example_, partner_,
      {"--tls-negotiation", "Required", "--sasl-negotiation", "NotSupported"});
  AddPartner(partner_, example_,
             {"--tls-negotiation", "NotSupported", "--sasl-negotiation",
              "NotSupported"});
  ConnectGateway(example_);
  example_.gateway->Send(
      "<message from='alice@example.test' to='bob@partner.test' id='t1'>"
      "<body>secret</body></message>");
  std::optional<std::string> bounce =
      example_.gateway->WaitFor([](const std::string& xml) {
        return xml.find("id=\"t1\"") != std::string::npos;
      });
  ASSERT_TRUE(bounce.has_value()) << example_.agent->Log();
  EXPECT_NE(bounce->find("remote-server-not-found"), std::string::npos)
      << *bounce;
  EXPECT_TRUE(WaitForLog(example_, "does not offer STARTTLS"))
      << example_.agent->Log();
  // A federation failure is a warning, the attempt's steps are info.
  EXPECT_TRUE(WaitForLog(example_, " warning s2s.outbound.failed id="))
      << example_.agent->Log();
  EXPECT_NE(example_.agent->Log().find(" info s2s.outbound.connect id="),
            std::string::npos)
      << example_.agent->Log();
}

TEST_F(RefusalTest, DialbackIsRefusedWhereThePolicyDisablesIt) {
  // A valid row without dialback: SASL EXTERNAL only.
  CliResult added =
      partner_.Cli({"new-partner", "example.test", "--tls-negotiation",
                    "Optional", "--sasl-negotiation", "Required",
                    "--support-dialback-negotiation", "false", "--quiet"});
  ASSERT_EQ(added.exit_code, 0) << added;
  auto raw = OpenRaw("example.test");
  ASSERT_TRUE(raw->ReadUntil("</stream:features>")) << raw->received();
  EXPECT_EQ(raw->received().find("urn:xmpp:features:dialback"),
            std::string::npos)
      << "dialback must not be offered: " << raw->received();
  raw->Send(
      "<db:result from='example.test' to='partner.test'>abcdef</db:result>");
  ASSERT_TRUE(raw->ReadUntilClosed()) << raw->received();
  EXPECT_TRUE(HasStreamError(raw->received(), "policy-violation"))
      << raw->received();
}

TEST_F(RefusalTest, ForgedDialbackKeyIsRejectedByTheAuthoritativeServer) {
  AddPartner(example_, partner_,
             {"--tls-negotiation", "NotSupported", "--sasl-negotiation",
              "NotSupported"});
  AddPartner(partner_, example_,
             {"--tls-negotiation", "NotSupported", "--sasl-negotiation",
              "NotSupported"});
  // Pretends to be example.test; the real example.test agent is asked.
  auto raw = OpenRaw("example.test");
  ASSERT_TRUE(raw->ReadUntil("</stream:features>")) << raw->received();
  raw->Send(
      "<db:result from='example.test' to='partner.test'>"
      "0000000000000000000000000000000000000000000000000000000000000000"
      "</db:result>");
  ASSERT_TRUE(raw->ReadUntilClosed()) << raw->received();
  EXPECT_NE(raw->received().find("type='invalid'"), std::string::npos)
      << raw->received();
  EXPECT_TRUE(HasStreamError(raw->received(), "not-authorized"))
      << raw->received();
  EXPECT_TRUE(WaitForLog(example_, "s2s.dialback.verify"))
      << "example.test was never asked:\n"
      << example_.agent->Log();
}

TEST_F(RefusalTest, SpoofedFromIsInvalidFromAndNothingIsRelayed) {
  ScriptedAuthoritativeServer rogue("rogue.test", "valid");
  CliResult added = partner_.Cli(
      {"new-partner", "rogue.test", "--tls-negotiation", "NotSupported",
       "--sasl-negotiation", "NotSupported", "--partner-type", "Federated",
       "--proxy-fqdn", "127.0.0.1:" + std::to_string(rogue.port()), "--quiet"});
  ASSERT_EQ(added.exit_code, 0) << added;
  ConnectGateway(partner_);
  auto raw = OpenRaw("rogue.test");
  ASSERT_TRUE(raw->ReadUntil("</stream:features>")) << raw->received();
  raw->Send("<db:result from='rogue.test' to='partner.test'>key</db:result>");
  ASSERT_TRUE(raw->ReadUntil("type='valid'")) << raw->received() << "\n"
                                              << partner_.agent->Log();
  EXPECT_EQ(rogue.verifications(), 1);
  raw->Send(
      "<message from='eve@rogue.test' to='bob@partner.test' id='ok'>"
      "<body>authenticated</body></message>");
  EXPECT_TRUE(partner_.gateway
                  ->WaitFor([](const std::string& xml) {
                    return xml.find("authenticated") != std::string::npos;
                  })
                  .has_value());
  raw->Send(
      "<message from='mallory@example.test' to='bob@partner.test' "
      "id='spoof'><body>spoofed</body></message>");
  ASSERT_TRUE(raw->ReadUntilClosed()) << raw->received();
  EXPECT_TRUE(HasStreamError(raw->received(), "invalid-from"))
      << raw->received();
  EXPECT_FALSE(partner_.gateway
                   ->WaitFor(
                       [](const std::string& xml) {
                         return xml.find("spoofed") != std::string::npos;
                       },
                       std::chrono::milliseconds(500))
                   .has_value());
}

TEST_F(RefusalTest, StanzaOverTheSizeLimitIsAPolicyViolation) {
  CliResult set =
      partner_.Cli({"set-gateway-config", "--max-stanza-size", "10000"});
  ASSERT_EQ(set.exit_code, 0) << set;
  AddPartner(partner_, example_,
             {"--tls-negotiation", "NotSupported", "--sasl-negotiation",
              "NotSupported"});
  auto raw = OpenRaw("example.test");
  ASSERT_TRUE(raw->ReadUntil("</stream:features>")) << raw->received();
  raw->Send("<message from='a@example.test' to='b@partner.test'><body>" +
            std::string(20000, 'x') + "</body></message>");
  ASSERT_TRUE(raw->ReadUntilClosed()) << raw->received();
  EXPECT_TRUE(HasStreamError(raw->received(), "policy-violation"))
      << raw->received();
}

TEST_F(RefusalTest, PeerStreamErrorClosesTheStreamWithoutOneInReturn) {
  AddPartner(partner_, example_,
             {"--tls-negotiation", "NotSupported", "--sasl-negotiation",
              "NotSupported"});
  auto raw = OpenRaw("example.test");
  ASSERT_TRUE(raw->ReadUntil("</stream:features>")) << raw->received();
  raw->Send(std::string("<stream:error><host-unknown xmlns='") + kStreamErrors +
            "'/><text xmlns='" + kStreamErrors +
            "'>gone</text></stream:error>");
  ASSERT_TRUE(raw->ReadUntilClosed()) << raw->received();
  // RFC 6120 §4.9.1.1: the receiver of a stream error closes its stream and
  // answers no error of its own.
  EXPECT_NE(raw->received().find("</stream:stream>"), std::string::npos)
      << raw->received();
  EXPECT_EQ(raw->received().find("<stream:error>"), std::string::npos)
      << raw->received();
  EXPECT_TRUE(
      WaitForLog(partner_, "peer sent stream error host-unknown (gone)"))
      << partner_.agent->Log();
}

TEST_F(RefusalTest, DoctypeIsRestrictedXml) {
  auto raw = std::make_unique<RawStream>(partner_.s2s_port);
  raw->Send("<?xml version='1.0'?><!DOCTYPE stream:stream>" +
            ServerStreamHeader("example.test", "partner.test").substr(21));
  ASSERT_TRUE(raw->ReadUntilClosed()) << raw->received();
  EXPECT_TRUE(HasStreamError(raw->received(), "restricted-xml"))
      << raw->received();
}

TEST_F(RefusalTest, BillionLaughsIsRefusedBeforeAnyExpansion) {
  std::string laughs =
      "<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'>";
  std::string previous = "lol";
  for (int i = 1; i <= 9; ++i) {
    std::string name = "lol" + std::to_string(i);
    std::string value;
    for (int j = 0; j < 10; ++j) value += "&" + previous + ";";
    laughs += "<!ENTITY " + name + " '" + value + "'>";
    previous = name;
  }
  laughs += "]><lolz>&lol9;</lolz>";
  auto raw = std::make_unique<RawStream>(partner_.s2s_port);
  raw->Send(laughs);
  ASSERT_TRUE(raw->ReadUntilClosed()) << raw->received();
  EXPECT_TRUE(HasStreamError(raw->received(), "restricted-xml"))
      << raw->received();
  // The agent is unharmed and answers at once.
  CliResult alive = partner_.Cli({"get-agent"});
  EXPECT_EQ(alive.exit_code, 0) << alive;
}

TEST_F(RefusalTest, SilentConnectionIsClosedAfterTheEstablishmentTimeout) {
  CliResult set = partner_.Cli(
      {"set-gateway-config", "--stream-establishment-timeout", "5"});
  ASSERT_EQ(set.exit_code, 0) << set;
  auto raw = std::make_unique<RawStream>(partner_.s2s_port);
  ASSERT_TRUE(raw->connected());
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(raw->ReadUntilClosed(std::chrono::seconds(15)));
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, std::chrono::seconds(4));
  EXPECT_TRUE(HasStreamError(raw->received(), "connection-timeout"))
      << raw->received();
  EXPECT_TRUE(Sessions(partner_).empty());
}

// Component connections have their own cap and must complete the
// handshake within streamEstablishmentTimeout: idle connections to the
// component port cannot hold it (or the S2S connectionLimit) for good.
TEST_F(RefusalTest, ComponentConnectionsAreCappedAndMustHandshakeInTime) {
  CliResult set =
      partner_.Cli({"set-gateway-config", "--component-connection-limit", "2",
                    "--stream-establishment-timeout", "5"});
  ASSERT_EQ(set.exit_code, 0) << set;
  std::vector<std::unique_ptr<RawStream>> idle;
  for (int i = 0; i < 2; ++i) {
    idle.push_back(std::make_unique<RawStream>(partner_.component_port));
    ASSERT_TRUE(idle.back()->connected());
  }
  // Over the cap: refused at once, with a stream error.
  RawStream third(partner_.component_port);
  ASSERT_TRUE(third.ReadUntilClosed(std::chrono::seconds(3)))
      << third.received() << partner_.agent->Log();
  EXPECT_TRUE(HasStreamError(third.received(), "resource-constraint"))
      << third.received();
  // S2S streams are not counted against it, nor it against them.
  auto s2s = std::make_unique<RawStream>(partner_.s2s_port);
  s2s->Send(ServerStreamHeader("stranger.test", "partner.test"));
  ASSERT_TRUE(s2s->ReadUntilClosed()) << s2s->received();
  EXPECT_TRUE(HasStreamError(s2s->received(), "policy-violation"))
      << s2s->received();

  for (auto& connection : idle) {
    ASSERT_TRUE(connection->ReadUntilClosed(std::chrono::seconds(15)));
    EXPECT_TRUE(HasStreamError(connection->received(), "connection-timeout"))
        << connection->received();
  }
  // The slots are free again for the real gateway.
  ConnectGateway(partner_);
}

TEST_F(RefusalTest, ComponentWithTheWrongSecretIsNotAuthorized) {
  ComponentClient intruder("partner.test", "wrong-secret", "127.0.0.1",
                           partner_.component_port);
  EXPECT_FALSE(intruder.Connect(std::chrono::seconds(5)));
  EXPECT_NE(intruder.failure().find("not-authorized"), std::string::npos)
      << intruder.failure();
}

TEST_F(RefusalTest, StanzaForADomainWithoutGatewayIsBouncedToTheSender) {
  AddPartner(
      example_, partner_,
      {"--tls-negotiation", "Optional", "--sasl-negotiation", "NotSupported"});
  AddPartner(
      partner_, example_,
      {"--tls-negotiation", "Optional", "--sasl-negotiation", "NotSupported"});
  ConnectGateway(example_);  // partner.test has no gateway connected
  example_.gateway->Send(
      "<message from='alice@example.test' to='bob@partner.test' id='nogw'>"
      "<body>anyone?</body></message>");
  std::optional<std::string> bounce =
      example_.gateway->WaitFor([](const std::string& xml) {
        return xml.find("id=\"nogw\"") != std::string::npos;
      });
  ASSERT_TRUE(bounce.has_value()) << partner_.agent->Log();
  EXPECT_NE(bounce->find("service-unavailable"), std::string::npos) << *bounce;
}

}  // namespace
}  // namespace xmppfed::testing
