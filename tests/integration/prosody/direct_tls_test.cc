// XEP-0368 direct TLS with a real Prosody 0.12 (s2s_direct_tls_ports) in
// the test's namespace: both publish _xmpps-server._tcp records (at a
// better priority than _xmpp-server._tcp) in the test's DNS server, the
// agent listens with --s2s-tls-listen, and each reaches the other over TLS
// from the first byte (Prosody offering ALPN xmpp-server). A partner whose
// TLS is NotSupported is never reached that way.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "tests/integration/prosody/prosody_fixture.h"

namespace xmppfed::testing {
namespace {

constexpr uint16_t kDirectTlsPort = 5270;

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string At(const char* address, uint16_t port) {
  return std::string(address) + ":" + std::to_string(port);
}

class ProsodyDirectTlsTest : public ProsodyInteropTest {
 protected:
  // _xmpps-server._tcp at priority 0 comes before these.
  ProsodyDirectTlsTest() { xmpp_server_srv_priority_ = 10; }

  void SetUp() override {
    ProsodyInteropTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    for (const char* domain : {kAgentDomain, kProsodyDomain}) {
      dns_->AddSrv(std::string("_xmpps-server._tcp.") + domain, 0, 0,
                   kDirectTlsPort, domain);
    }
    prosody_extra_config_ =
        "s2s_direct_tls_ports = { " + std::to_string(kDirectTlsPort) +
        " }\ns2s_direct_tls_interfaces = { \"" + kProsodyAddress + "\" }\n";
    // Its SRV lookups go to the test's DNS server (the namespace's
    // resolv.conf on 127.0.0.1, which unbound does not ask by default),
    // and .test is not the empty zone unbound makes of it (RFC 6761).
    prosody_unbound_ =
        "{ hoststxt = \"/etc/hosts\", resolvconf = \"/etc/resolv.conf\", "
        "options = { [\"do-not-query-localhost:\"] = \"no\", "
        "[\"local-zone:\"] = \"test. transparent\" } }";
  }

  bool AskedFor(const std::string& name) const {
    for (const std::string& question : dns_->questions()) {
      if (question == name + " SRV") return true;
    }
    return false;
  }
};

TEST_F(ProsodyDirectTlsTest, DirectTlsBothWays) {
  StartAgent({"--s2s-tls-listen", At(kAgentAddress, kDirectTlsPort)});
  AddPartner(kDialbackOverTls);
  StartProsody(/*s2s_require_encryption=*/true, /*s2s_secure_auth=*/false);
  // Prosody reports ready once its first port listens; the direct TLS port
  // may follow a moment later.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!TcpPortAccepts(kProsodyAddress, kDirectTlsPort) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(TcpPortAccepts(kProsodyAddress, kDirectTlsPort))
      << prosody_->Log();
  ConnectGateway();
  ConnectBob();

  // The agent to Prosody: the _xmpps-server target, TLS from the first byte.
  ASSERT_NE(ToBob("d1", "direct-to-prosody"), "") << Logs();
  JsonValue outbound = WaitForEstablished("Outbound");
  EXPECT_TRUE(Bool(outbound, "directTls"));
  EXPECT_EQ(Str(outbound, "peerAddress"), At(kProsodyAddress, kDirectTlsPort));
  EXPECT_EQ(Str(outbound, "auth"), "DialbackTls");

  // Prosody to the agent: its own _xmpps-server lookup of example.test
  // reaches --s2s-tls-listen, offering ALPN xmpp-server.
  ASSERT_NE(FromBob("d2", "direct-from-prosody"), "") << Logs();
  JsonValue inbound = WaitForEstablished("Inbound");
  EXPECT_TRUE(Bool(inbound, "directTls")) << Logs();
  EXPECT_EQ(Str(inbound, "auth"), "DialbackTls");
  std::string log = agent_->Log();
  EXPECT_TRUE(Has(log, "s2s.inbound.connect")) << log;
  EXPECT_TRUE(Has(log, "direct_tls=true alpn=xmpp-server")) << log;
  // No <starttls/> on either server-to-server stream: Prosody logs every
  // element it sends and receives (on a STARTTLS stream:
  // "Sending[s2sout_unauthed]: <starttls ...", "Received[s2sin_unauthed]:
  // <starttls ..."); its clients' c2s streams still use STARTTLS.
  std::string prosody_log = prosody_->Log();
  EXPECT_FALSE(Has(prosody_log, "[s2sout_unauthed]: <starttls")) << Logs();
  EXPECT_FALSE(Has(prosody_log, "[s2sin_unauthed]: <starttls")) << Logs();
  EXPECT_TRUE(Has(prosody_log, "[c2s_unauthed]: <starttls")) << Logs();
  EXPECT_TRUE(AskedFor("_xmpps-server._tcp.partner.test"));
}

// A partner whose TLS is NotSupported: its _xmpps-server record is never
// asked for, and the stream goes to its plain port without TLS.
TEST_F(ProsodyDirectTlsTest,
       TlsNotSupportedPartnerIsNeverReachedOverDirectTls) {
  StartAgent();
  AddPartner({"--tls-negotiation", "NotSupported", "--sasl-negotiation",
              "NotSupported", "--support-dialback-negotiation", "true",
              "--partner-type", "Federated"});
  StartProsody(/*s2s_require_encryption=*/false, /*s2s_secure_auth=*/false);
  ConnectGateway();
  ConnectBob();

  ASSERT_NE(ToBob("n1", "plain-to-prosody"), "") << Logs();
  JsonValue outbound = WaitForEstablished("Outbound");
  EXPECT_FALSE(Bool(outbound, "directTls"));
  EXPECT_EQ(Str(outbound, "tlsVersion"), "");
  EXPECT_EQ(Str(outbound, "peerAddress"), At(kProsodyAddress, kS2sPort));
  EXPECT_EQ(Str(outbound, "auth"), "DialbackTcp");
  EXPECT_FALSE(AskedFor("_xmpps-server._tcp.partner.test"));
  EXPECT_TRUE(AskedFor("_xmpp-server._tcp.partner.test"));
}

}  // namespace
}  // namespace xmppfed::testing
