// A partner's subdomains through a wildcard additional domain, between two
// real agents: example.test has partner "partnercorp.test" with
// "*.partner.test"; partner.test serves partner.test, conference.partner.test
// and chat.partner.test (one component each) with a certificate naming all
// three. The wildcard carries messages both ways for a subdomain, never for
// the bare domain, and an exact domain of another partner goes to that one.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "tests/integration/federation/federation_fixture.h"

namespace xmppfed::testing {
namespace {

class WildcardFederationTest : public FederationTest {
 protected:
  void SetUp() override {
    FederationTest::SetUp();
    partner_.certificates = MakeCertificates(
        partner_.dir->path(), "partner.test CA",
        {"partner.test", "conference.partner.test", "chat.partner.test"});
    StartAgent(example_, partner_.certificates.ca_cert);
    StartAgent(partner_, example_.certificates.ca_cert,
               {"--domain", "conference.partner.test", "--domain",
                "chat.partner.test"});
    AddPartner(partner_, example_, {"--partner-type", "Federated"});
    NewPartnerOfExample("partnercorp.test", "*.partner.test");
    // One stream each way, so that each direction's authentication of the
    // exact subdomain shows in get-session (XEP-0288 would carry both on
    // the first).
    for (const Site* site : {&example_, &partner_}) {
      CliResult off =
          site->Cli({"set-gateway-config", "--enable-bidirectional-streams",
                     "false", "--quiet"});
      ASSERT_EQ(off.exit_code, 0) << off;
    }
    ConnectGateway(example_);
    ConnectGateway(partner_);
    conference_ = Component("conference.partner.test");
  }

  // new-partner on example.test reached at partner.test's S2S port.
  void NewPartnerOfExample(const std::string& identity,
                           const std::string& domains) {
    CliResult result = example_.Cli(
        {"new-partner", identity, "--additional-domains", domains,
         "--partner-type", "Federated", "--proxy-fqdn",
         "127.0.0.1:" + std::to_string(partner_.s2s_port), "--quiet"});
    ASSERT_EQ(result.exit_code, 0) << result;
  }

  std::unique_ptr<ComponentClient> Component(const std::string& domain) {
    auto component = std::make_unique<ComponentClient>(
        domain, kComponentSecret, "127.0.0.1", partner_.component_port);
    EXPECT_TRUE(component->Connect()) << component->failure();
    return component;
  }

  // Sends a chat message over `from` and waits for it on `to`; "" when it
  // did not arrive.
  static std::string Deliver(ComponentClient& from, const std::string& sender,
                             ComponentClient& to, const std::string& recipient,
                             const std::string& body) {
    from.Send("<message from='" + sender + "' to='" + recipient +
              "' type='chat' id='" + body + "'><body>" + body +
              "</body></message>");
    return to
        .WaitFor([&](const std::string& xml) {
          return xml.find("<body>" + body + "</body>") != std::string::npos;
        })
        .value_or("");
  }

  // The bounce `from` gets for the message of id `id`.
  static std::string Bounce(ComponentClient& from, const std::string& sender,
                            const std::string& recipient,
                            const std::string& id) {
    from.Send("<message from='" + sender + "' to='" + recipient + "' id='" +
              id + "'><body>no</body></message>");
    return from
        .WaitFor([&](const std::string& xml) {
          return xml.find("id=\"" + id + "\"") != std::string::npos;
        })
        .value_or("");
  }

  // The established session of `site` in `direction` with `remote`.
  std::optional<JsonValue> SessionWith(const Site& site,
                                       const std::string& direction,
                                       const std::string& remote) const {
    for (const JsonValue& session : Sessions(site)) {
      if (Str(session, "direction") == direction &&
          Str(session, "remoteDomain") == remote &&
          !Str(session, "auth").empty()) {
        return session;
      }
    }
    return std::nullopt;
  }

  std::unique_ptr<ComponentClient> conference_;
};

TEST_F(WildcardFederationTest, SubdomainCoveredByTheWildcardExchangesBothWays) {
  ASSERT_NE(Deliver(*example_.gateway, "alice@example.test", *conference_,
                    "room@conference.partner.test", "to-room"),
            "")
      << example_.agent->Log() << partner_.agent->Log();
  ASSERT_NE(Deliver(*conference_, "room@conference.partner.test/bob",
                    *example_.gateway, "alice@example.test", "from-room"),
            "")
      << example_.agent->Log() << partner_.agent->Log();

  // Both streams name the exact subdomain and its owning partner; each was
  // authenticated with the certificate for conference.partner.test.
  for (const char* direction : {"Outbound", "Inbound"}) {
    std::optional<JsonValue> session =
        SessionWith(example_, direction, "conference.partner.test");
    ASSERT_TRUE(session.has_value()) << direction;
    EXPECT_EQ(Str(*session, "partner"), "partnercorp.test") << direction;
    EXPECT_EQ(Str(*session, "auth"), "SaslExternal") << direction;
  }
}

TEST_F(WildcardFederationTest, TheBareDomainIsNotCovered) {
  std::string bounce = Bounce(*example_.gateway, "alice@example.test",
                              "bob@partner.test", "bare-out");
  EXPECT_NE(bounce.find("<not-allowed"), std::string::npos) << bounce;

  // partner.test's own stream is refused by example.test: the message
  // bounces back to partner.test's gateway.
  bounce = Bounce(*partner_.gateway, "bob@partner.test", "alice@example.test",
                  "bare-in");
  EXPECT_NE(bounce.find("type=\"error\""), std::string::npos) << bounce;
  EXPECT_TRUE(WaitForLog(example_,
                         "'partner.test' is not a federation partner of "
                         "example.test"))
      << example_.agent->Log();
}

TEST_F(WildcardFederationTest, AnExactDomainOfAnotherPartnerGoesToThatOne) {
  NewPartnerOfExample("chatcorp.test", "chat.partner.test");
  std::unique_ptr<ComponentClient> chat = Component("chat.partner.test");
  ASSERT_NE(Deliver(*example_.gateway, "alice@example.test", *chat,
                    "bob@chat.partner.test", "to-chat"),
            "")
      << example_.agent->Log();
  std::optional<JsonValue> session =
      SessionWith(example_, "Outbound", "chat.partner.test");
  ASSERT_TRUE(session.has_value());
  EXPECT_EQ(Str(*session, "partner"), "chatcorp.test");

  // Removing the exact owner hands the subdomain back to the wildcard.
  CliResult removed =
      example_.Cli({"remove-partner", "chatcorp.test", "--force"});
  ASSERT_EQ(removed.exit_code, 0) << removed;
  ASSERT_NE(Deliver(*example_.gateway, "alice@example.test", *chat,
                    "bob@chat.partner.test", "to-chat-again"),
            "")
      << example_.agent->Log();
  session = SessionWith(example_, "Outbound", "chat.partner.test");
  ASSERT_TRUE(session.has_value());
  EXPECT_EQ(Str(*session, "partner"), "partnercorp.test");
}

}  // namespace
}  // namespace xmppfed::testing
