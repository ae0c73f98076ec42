// One inbound dialback stream carrying the domains of two partners of
// different types (SPEC §4): every stanza is judged by the partner of its
// `from` domain, a policy change re-checks every domain of the stream, and
// a partner's connectionLimit counts streams that proved one of its
// domains, not streams whose header names it.
#include <gtest/gtest.h>

#include "tests/integration/federation/federation_fixture.h"
#include "tests/support/raw_stream.h"

namespace xmppfed::testing {
namespace {

class PerDomainAuthTest : public FederationTest {
 protected:
  void SetUp() override {
    FederationTest::SetUp();
    StartAgent(partner_, example_.certificates.ca_cert);
    ConnectGateway(partner_);
  }

  // A partner of partner.test whose authoritative server is `server`.
  void AddScriptedPartner(const ScriptedAuthoritativeServer& server,
                          const std::string& domain, const std::string& type,
                          std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {
        "new-partner",
        domain,
        "--tls-negotiation",
        "NotSupported",
        "--sasl-negotiation",
        "NotSupported",
        "--partner-type",
        type,
        "--proxy-fqdn",
        "127.0.0.1:" + std::to_string(server.port()),
        "--quiet"};
    args.insert(args.end(), extra.begin(), extra.end());
    CliResult added = partner_.Cli(args);
    ASSERT_EQ(added.exit_code, 0) << added;
  }

  // Opens a stream from `from` and has dialback authenticate each of
  // `domains` on it.
  std::unique_ptr<RawStream> Authenticated(
      const std::string& from, const std::vector<std::string>& domains) {
    auto raw = std::make_unique<RawStream>(partner_.s2s_port);
    EXPECT_TRUE(raw->connected());
    raw->Send(ServerStreamHeader(from, "partner.test"));
    EXPECT_TRUE(raw->ReadUntil("</stream:features>")) << raw->received();
    for (const std::string& domain : domains) {
      raw->Send("<db:result from='" + domain +
                "' to='partner.test'>key</db:result>");
      EXPECT_TRUE(raw->ReadUntil("<db:result from='partner.test' to='" +
                                 domain + "' type='valid'/>"))
          << raw->received() << "\n"
          << partner_.agent->Log();
    }
    return raw;
  }

  std::optional<std::string> AtGateway(
      const std::string& id,
      std::chrono::milliseconds wait = std::chrono::seconds(10)) {
    return partner_.gateway->WaitFor(
        [&](const std::string& xml) {
          return xml.find("id=\"" + id + "\"") != std::string::npos;
        },
        wait);
  }

  static std::string Message(const std::string& from, const std::string& id) {
    return "<message from='" + from + "' to='bob@partner.test' id='" + id +
           "'><body>" + id + "</body></message>";
  }
};

TEST_F(PerDomainAuthTest, EachStanzaIsJudgedByThePartnerOfItsFromDomain) {
  ScriptedAuthoritativeServer federated("fed.test", "valid");
  ScriptedAuthoritativeServer unverified("pub.test", "valid");
  AddScriptedPartner(federated, "fed.test", "Federated");
  AddScriptedPartner(unverified, "pub.test", "PublicUnverified");
  auto raw = Authenticated("fed.test", {"fed.test", "pub.test"});

  // fed.test is Federated: its message passes.
  raw->Send(Message("eve@fed.test", "from-fed"));
  EXPECT_TRUE(AtGateway("from-fed").has_value()) << partner_.agent->Log();
  // pub.test is PublicUnverified and bob never invited mallory: blocked,
  // although the stream's header named the Federated partner.
  raw->Send(Message("mallory@pub.test", "from-pub"));
  ASSERT_TRUE(WaitForLog(partner_, "s2s.blocked partner=pub.test"))
      << partner_.agent->Log();
  EXPECT_FALSE(AtGateway("from-pub", std::chrono::milliseconds(300)));

  // Once bob invites mallory, her messages pass on the same stream.
  partner_.gateway->Send(
      "<presence from='bob@partner.test' to='mallory@pub.test' "
      "type='subscribe' id='invite'/>");
  ASSERT_TRUE(WaitForLog(partner_, "invitations.stored count=1"))
      << partner_.agent->Log();
  raw->Send(Message("mallory@pub.test", "after-invite"));
  EXPECT_TRUE(AtGateway("after-invite").has_value()) << partner_.agent->Log();
}

TEST_F(PerDomainAuthTest, APolicyChangeRechecksEveryDomainOfTheStream) {
  ScriptedAuthoritativeServer federated("fed.test", "valid");
  ScriptedAuthoritativeServer second("pub.test", "valid");
  AddScriptedPartner(federated, "fed.test", "Federated");
  AddScriptedPartner(second, "pub.test", "Federated");
  auto raw = Authenticated("fed.test", {"fed.test", "pub.test"});
  raw->Send(Message("eve@pub.test", "before"));
  ASSERT_TRUE(AtGateway("before").has_value()) << partner_.agent->Log();

  // pub.test, not the partner the header named, loses dialback: the stream
  // that carries it can no longer go on.
  CliResult changed =
      partner_.Cli({"set-partner", "pub.test", "--tls-negotiation", "Required",
                    "--sasl-negotiation", "Required",
                    "--support-dialback-negotiation", "false", "--quiet"});
  ASSERT_EQ(changed.exit_code, 0) << changed;
  ASSERT_TRUE(raw->ReadUntilClosed()) << raw->received();
  EXPECT_TRUE(HasStreamError(raw->received(), "policy-violation"))
      << raw->received();
  EXPECT_NE(raw->received().find("pub.test"), std::string::npos)
      << raw->received();
}

TEST_F(PerDomainAuthTest, ConnectionLimitCountsStreamsThatProvedTheDomain) {
  ScriptedAuthoritativeServer server("fed.test", "valid");
  AddScriptedPartner(server, "fed.test", "Federated",
                     {"--connection-limit", "1"});
  // Streams that only claim fed.test in their header take no slot.
  std::vector<std::unique_ptr<RawStream>> claims;
  for (int i = 0; i < 3; ++i) {
    claims.push_back(std::make_unique<RawStream>(partner_.s2s_port));
    claims.back()->Send(ServerStreamHeader("fed.test", "partner.test"));
    ASSERT_TRUE(claims.back()->ReadUntil("</stream:features>"))
        << claims.back()->received();
  }
  auto first = Authenticated("fed.test", {"fed.test"});
  // The limit is 1: a second proved stream is refused.
  auto second = std::make_unique<RawStream>(partner_.s2s_port);
  second->Send(ServerStreamHeader("fed.test", "partner.test"));
  ASSERT_TRUE(second->ReadUntil("</stream:features>"));
  second->Send("<db:result from='fed.test' to='partner.test'>key</db:result>");
  ASSERT_TRUE(second->ReadUntilClosed()) << second->received();
  EXPECT_TRUE(HasStreamError(second->received(), "resource-constraint"))
      << second->received();
  EXPECT_NE(second->received().find("resource-constraint xmlns='urn:ietf:"
                                    "params:xml:ns:xmpp-stanzas'"),
            std::string::npos)
      << second->received();
}

}  // namespace
}  // namespace xmppfed::testing
