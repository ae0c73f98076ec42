// A wildcard additional domain against a real Prosody 0.12: partner.test's
// Prosody hosts the external component conference.partner.test (a
// libstrophe component client), its certificate names both, and the agent's
// partner "partnercorp.test" lists only "*.partner.test". Messages to and
// from the component cross, each stream authenticated by SASL EXTERNAL
// against the exact subdomain; partner.test itself is refused both ways
// until it is listed too.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "tests/integration/prosody/prosody_fixture.h"

namespace xmppfed::testing {
namespace {

constexpr char kConference[] = "conference.partner.test";
constexpr char kConferenceSecret[] = "conference-secret-for-tests";

class ProsodyWildcardTest : public ProsodyInteropTest {
 protected:
  void SetUp() override {
    ProsodyInteropTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    prosody_certificates_ = MakeCertificates(
        prosody_dir_->path(), std::string(kProsodyDomain) + " CA",
        {kProsodyDomain, kConference});
    // The subdomain's own SRV record: the agent resolves the exact domain.
    dns_->AddSrv(std::string("_xmpp-server._tcp.") + kConference, 0, 0,
                 kS2sPort, kProsodyDomain);
    prosody_components_ = {{kConference, kConferenceSecret}};
    StartAgent();
    CliResult added =
        Cli({"new-partner", "partnercorp.test", "--additional-domains",
             "*.partner.test", "--tls-negotiation", "Required",
             "--sasl-negotiation", "Required", "--support-dialback-negotiation",
             "false", "--partner-type", "Federated", "--quiet"});
    ASSERT_EQ(added.exit_code, 0) << added;
    StartProsody(/*s2s_require_encryption=*/true, /*s2s_secure_auth=*/true);
    ConnectGateway();
    ConnectBob();
    conference_ = std::make_unique<ComponentClient>(
        kConference, kConferenceSecret, "127.0.0.1", kProsodyComponentPort);
    ASSERT_TRUE(conference_->Connect()) << conference_->failure();
  }

  // The authenticated session of `direction` with `remote`; null JSON when
  // none is listed within 10 s.
  JsonValue WaitForSessionWith(const std::string& direction,
                               const std::string& remote) const {
    for (int i = 0; i < 100; ++i) {
      for (const JsonValue& session : Established(direction)) {
        if (Str(session, "remoteDomain") == remote) return session;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return JsonValue();
  }

  // Sends `stanza` over `from` and returns the first XML `to` gets that
  // holds `marker` ("" when none came).
  template <typename From, typename To>
  static std::string SendAndAwait(From& from, To& to, const std::string& stanza,
                                  const std::string& marker) {
    from.Send(stanza);
    return to
        .WaitFor([&](const std::string& xml) {
          return xml.find(marker) != std::string::npos;
        })
        .value_or("");
  }

  std::unique_ptr<ComponentClient> conference_;
};

TEST_F(ProsodyWildcardTest, SubdomainBothWaysBareDomainOnlyOnceListed) {
  std::string arrived =
      SendAndAwait(*gateway_, *conference_,
                   "<message from='alice@example.test/desk' "
                   "to='room@conference.partner.test' type='chat' id='w1'>"
                   "<body>to-room</body></message>",
                   "<body>to-room</body>");
  ASSERT_NE(arrived, "") << "the component got nothing";

  std::string answer =
      SendAndAwait(*conference_, *gateway_,
                   "<message from='room@conference.partner.test/bob' "
                   "to='alice@example.test' type='chat' id='w2'>"
                   "<body>from-room</body></message>",
                   "<body>from-room</body>");
  ASSERT_NE(answer, "") << "the gateway got nothing";

  for (const char* direction : {"Outbound", "Inbound"}) {
    JsonValue session = WaitForSessionWith(direction, kConference);
    EXPECT_EQ(Str(session, "partner"), "partnercorp.test") << direction;
    EXPECT_EQ(Str(session, "auth"), "SaslExternal") << direction;
  }

  // partner.test itself is no subdomain of partner.test.
  std::string bounce = SendAndAwait(
      *gateway_, *gateway_,
      "<message from='alice@example.test/desk' to='bob@partner.test' "
      "id='w3'><body>no</body></message>",
      "id=\"w3\"");
  EXPECT_NE(bounce.find("<not-allowed"), std::string::npos) << bounce;
  // Prosody bounces bob's message once the agent refused its stream.
  std::string refused =
      SendAndAwait(*bob_, *bob_,
                   "<message to='alice@example.test' type='chat' id='w4'>"
                   "<body>bare-in</body></message>",
                   "id=\"w4\"");
  EXPECT_NE(refused.find("type=\"error\""), std::string::npos) << refused;
  EXPECT_NE(agent_->Log().find("'partner.test' is not a federation partner"),
            std::string::npos);

  // Listed beside the wildcard, the bare domain is the partner's too.
  CliResult listed = Cli({"set-partner", "partnercorp.test",
                          "--add-additional-domains", kProsodyDomain});
  ASSERT_EQ(listed.exit_code, 0) << listed;
  ASSERT_NE(ToBob("w5", "bare-out"), "") << "bob got nothing";
}

}  // namespace
}  // namespace xmppfed::testing
