// XEP-0368 direct TLS between two real agents: each with a --s2s-tls-listen
// listener, reached through a tls:// proxyFqdn or through _xmpps-server SRV
// records (a private network namespace whose DNS server is the test's own,
// tests/support/namespace.h). get-session's directTls and the agents' logs
// show TLS from the first byte; a partner whose TLS is NotSupported never
// uses it; the pre-authentication budget and the establishment timeout
// apply to the direct TLS listener as to the plain one.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/federation/federation_fixture.h"
#include "tests/support/fake_dns_server.h"
#include "tests/support/hostile_peers.h"
#include "tests/support/namespace.h"

namespace xmppfed::testing {
namespace {

using Clock = std::chrono::steady_clock;

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

const std::vector<std::string> kDirectTlsListener = {"--s2s-tls-listen",
                                                     "127.0.0.1:0"};

// The TLS-less row: no TLS, no SASL, dialback over TCP.
const std::vector<std::string> kNoTls = {"--tls-negotiation",
                                         "NotSupported",
                                         "--sasl-negotiation",
                                         "NotSupported",
                                         "--support-dialback-negotiation",
                                         "true",
                                         "--partner-type",
                                         "Federated"};

class DirectTlsTest : public FederationTest {
 protected:
  void StartBoth() {
    StartAgent(example_, partner_.certificates.ca_cert, kDirectTlsListener);
    StartAgent(partner_, example_.certificates.ca_cert, kDirectTlsListener);
    ASSERT_NE(example_.s2s_tls_port, 0);
    ASSERT_NE(partner_.s2s_tls_port, 0);
    // Each direction on its own connection, so that both the listener and
    // the outbound direct TLS are exercised (XEP-0288 would carry both
    // directions on the first stream).
    for (const Site* site : {&example_, &partner_}) {
      CliResult off =
          site->Cli({"set-gateway-config", "--enable-bidirectional-streams",
                     "false", "--quiet"});
      ASSERT_EQ(off.exit_code, 0) << off;
    }
  }

  // new-partner on `site` for `other` with a proxyFqdn of our choosing.
  static void AddPartnerVia(const Site& site, const Site& other,
                            const std::string& proxy,
                            std::vector<std::string> options) {
    std::vector<std::string> args = {"new-partner", other.domain,
                                     "--proxy-fqdn", proxy, "--quiet"};
    args.insert(args.end(), options.begin(), options.end());
    CliResult result = site.Cli(args);
    ASSERT_EQ(result.exit_code, 0) << result;
  }

  static std::string TlsProxy(const Site& site) {
    return "tls://127.0.0.1:" + std::to_string(site.s2s_tls_port);
  }

  // The authenticated sessions of `site` (get-session -o json).
  std::vector<JsonValue> Authenticated(const Site& site) const {
    std::vector<JsonValue> found;
    for (const JsonValue& session : Sessions(site)) {
      if (!Str(session, "auth").empty()) found.push_back(session);
    }
    return found;
  }
};

TEST_F(DirectTlsTest, TlsProxyFqdnCarriesStanzasBothWays) {
  StartBoth();
  AddPartnerVia(example_, partner_, TlsProxy(partner_),
                {"--partner-type", "Federated"});
  AddPartnerVia(partner_, example_, TlsProxy(example_),
                {"--partner-type", "Federated"});
  ConnectGateway(example_);
  ConnectGateway(partner_);

  ASSERT_NE(Relay(example_, partner_, "direct-out"), "")
      << example_.agent->Log() << partner_.agent->Log();
  ASSERT_NE(Relay(partner_, example_, "direct-back"), "")
      << example_.agent->Log() << partner_.agent->Log();

  // One stream each way on example.test, both direct TLS and SASL EXTERNAL
  // (the certificate judged as after STARTTLS).
  std::vector<JsonValue> sessions = Authenticated(example_);
  ASSERT_EQ(sessions.size(), 2u) << example_.Cli({"get-session"}).out;
  for (const JsonValue& session : sessions) {
    EXPECT_TRUE(Bool(session, "directTls")) << Str(session, "direction");
    EXPECT_EQ(Str(session, "auth"), "SaslExternal");
    EXPECT_FALSE(Str(session, "tlsVersion").empty());
  }
  ASSERT_TRUE(WaitForLog(example_, "s2s.inbound.tls"));
  std::string log = example_.agent->Log();
  // Both ends agreed on ALPN xmpp-server, which only direct TLS offers.
  EXPECT_TRUE(Has(log, "s2s.outbound.tls")) << log;
  EXPECT_TRUE(Has(log, "direct_tls=true alpn=xmpp-server")) << log;
}

// test-partner over a tls:// proxyFqdn: every step passes, and the steps
// say direct TLS was used.
TEST_F(DirectTlsTest, TestPartnerReportsDirectTls) {
  StartBoth();
  AddPartnerVia(example_, partner_, TlsProxy(partner_),
                {"--partner-type", "Federated"});
  AddPartnerVia(partner_, example_, TlsProxy(example_),
                {"--partner-type", "Federated"});
  CliResult result =
      example_.Cli({"test-partner", "partner.test", "-o", "json"});
  ASSERT_EQ(result.exit_code, 0) << result << example_.agent->Log();
  JsonValue list;
  ASSERT_TRUE(ParseJson(result.out, &list)) << result;
  std::map<std::string, JsonValue> steps;
  for (const JsonValue& step : Elements(list)) {
    EXPECT_EQ(Str(step, "result"), "Passed") << result.out;
    steps[Str(step, "step")] = step;
  }
  EXPECT_TRUE(Has(Str(steps["dns"], "detail"), "(direct TLS)")) << result.out;
  EXPECT_TRUE(Has(Str(steps["stream"], "detail"),
                  "direct TLS (XEP-0368): TLS from the first byte, ALPN "
                  "xmpp-server"))
      << result.out;
  EXPECT_TRUE(Has(Str(steps["starttls"], "detail"), "TLSv1.")) << result.out;
}

TEST_F(DirectTlsTest, GetAgentNamesTheDirectTlsListener) {
  StartAgent(example_, partner_.certificates.ca_cert, kDirectTlsListener);
  CliResult info = example_.Cli({"get-agent", "-o", "json"});
  ASSERT_EQ(info.exit_code, 0) << info;
  EXPECT_TRUE(Has(info.out, "\"s2s-tls\"")) << info.out;
  EXPECT_TRUE(
      Has(info.out, "127.0.0.1:" + std::to_string(example_.s2s_tls_port)))
      << info.out;
}

// A TLS handshake that never completes is a stream that never authenticates:
// streamEstablishmentTimeout frees it.
TEST_F(DirectTlsTest, HandshakeNeverCompletedIsFreedByTheTimeout) {
  StartAgent(example_, partner_.certificates.ca_cert, kDirectTlsListener);
  CliResult set = example_.Cli(
      {"set-gateway-config", "--stream-establishment-timeout", "5", "--quiet"});
  ASSERT_EQ(set.exit_code, 0) << set;
  HostileConnections::Options silent;
  silent.count = 1;
  auto idle = HostileConnections::Open(example_.s2s_tls_port, silent);
  ASSERT_EQ(idle->connected(), 1);
  Clock::time_point start = Clock::now();
  EXPECT_TRUE(Eventually([&] { return idle->StillOpen() == 0; },
                         std::chrono::seconds(12)));
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  EXPECT_GE(seconds, 4.0);
  EXPECT_TRUE(
      WaitForLog(example_, "the stream did not authenticate within 5 seconds"))
      << example_.agent->Log();
}

// Connections that never finish their handshake count against the
// per-address budget of streams still negotiating (10 by default).
TEST_F(DirectTlsTest, PreAuthenticationBudgetCoversTheListener) {
  StartAgent(example_, partner_.certificates.ca_cert, kDirectTlsListener);
  HostileConnections::Options silent;
  silent.count = 30;
  auto idle = HostileConnections::Open(example_.s2s_tls_port, silent);
  EXPECT_EQ(idle->connected(), 30);
  EXPECT_TRUE(Eventually([&] { return idle->StillOpen() <= 10; }))
      << idle->StillOpen();
  EXPECT_TRUE(WaitForLog(example_, "s2s.inbound.evicting"));
}

// The partner said it does not use TLS: a stream claiming it over direct
// TLS is refused, and a tls:// proxyFqdn is refused at validation.
TEST_F(DirectTlsTest, TlsNotSupportedPartnerIsRefusedOverDirectTls) {
  StartBoth();
  AddPartnerVia(example_, partner_,
                "127.0.0.1:" + std::to_string(partner_.s2s_port), kNoTls);
  AddPartnerVia(partner_, example_, TlsProxy(example_),
                {"--partner-type", "Federated"});
  ConnectGateway(example_);
  ConnectGateway(partner_);

  partner_.gateway->Send(
      "<message from='alice@partner.test' to='bob@example.test' "
      "type='chat' id='refused'><body>refused</body></message>");
  ASSERT_TRUE(WaitForLog(example_, "s2s.inbound.refused"))
      << example_.agent->Log();
  std::string log = example_.agent->Log();
  EXPECT_TRUE(Has(log, "condition=policy-violation")) << log;
  EXPECT_TRUE(Has(log, "not accepted over direct TLS")) << log;

  CliResult refused = example_.Cli(
      {"set-partner", partner_.domain, "--proxy-fqdn", TlsProxy(partner_)});
  EXPECT_NE(refused.exit_code, 0) << refused;
  EXPECT_TRUE(Has(refused.err, "proxyFqdn")) << refused;
  EXPECT_TRUE(Has(refused.err, "NotSupported")) << refused;
}

// The same two agents found through DNS: _xmpps-server._tcp records at a
// better priority than _xmpp-server._tcp, in a namespace whose resolver is
// the test's DNS server.
class DirectTlsSrvTest : public DirectTlsTest {
 protected:
  void SetUp() override {
    namespace_dir_ = std::make_unique<TempDir>("netns");
    PrivateNetworkOptions network;
    network.hosts = {{"127.0.0.1", "example.test"},
                     {"127.0.0.1", "partner.test"}};
    if (std::string why = EnterPrivateNetwork(namespace_dir_->path(), network);
        !why.empty()) {
      GTEST_SKIP() << "no private network namespace: " << why;
    }
    dns_ = std::make_unique<FakeDnsServer>(53);
    ASSERT_TRUE(dns_->ok()) << "cannot bind 127.0.0.1:53 in the namespace";
    DirectTlsTest::SetUp();
    StartBoth();
    for (const Site* site : {&example_, &partner_}) {
      dns_->AddSrv("_xmpps-server._tcp." + site->domain, 0, 0,
                   xmpps_at_plain_port_ ? site->s2s_port : site->s2s_tls_port,
                   site->domain);
      dns_->AddSrv("_xmpp-server._tcp." + site->domain, 10, 0, site->s2s_port,
                   site->domain);
      dns_->AddA(site->domain, "127.0.0.1");
    }
  }

  void Federate(const std::vector<std::string>& policy) {
    for (auto [site, other] :
         {std::pair{&example_, &partner_}, std::pair{&partner_, &example_}}) {
      std::vector<std::string> args = {"new-partner", other->domain, "--quiet"};
      args.insert(args.end(), policy.begin(), policy.end());
      CliResult result = site->Cli(args);
      ASSERT_EQ(result.exit_code, 0) << result;
    }
    ConnectGateway(example_);
    ConnectGateway(partner_);
  }

  bool AskedFor(const std::string& name) const {
    for (const std::string& question : dns_->questions()) {
      if (question == name + " SRV") return true;
    }
    return false;
  }

  // A misconfigured domain: its _xmpps-server record names the port that
  // expects STARTTLS.
  bool xmpps_at_plain_port_ = false;
  std::unique_ptr<TempDir> namespace_dir_;
  std::unique_ptr<FakeDnsServer> dns_;
};

TEST_F(DirectTlsSrvTest, XmppsServerRecordsLeadToDirectTlsBothWays) {
  Federate({"--partner-type", "Federated"});
  ASSERT_NE(Relay(example_, partner_, "srv-out"), "")
      << example_.agent->Log() << partner_.agent->Log();
  ASSERT_NE(Relay(partner_, example_, "srv-back"), "")
      << example_.agent->Log() << partner_.agent->Log();

  EXPECT_TRUE(AskedFor("_xmpps-server._tcp.partner.test"));
  std::vector<JsonValue> sessions = Authenticated(example_);
  ASSERT_EQ(sessions.size(), 2u) << example_.Cli({"get-session"}).out;
  for (const JsonValue& session : sessions) {
    EXPECT_TRUE(Bool(session, "directTls")) << Str(session, "direction");
    EXPECT_EQ(Str(session, "peerAddress").substr(0, 10), "127.0.0.1:");
  }
  // The outbound stream went to the xmpps-server target's port.
  EXPECT_TRUE(Has(example_.agent->Log(),
                  "peer=127.0.0.1:" + std::to_string(partner_.s2s_tls_port) +
                      " direct_tls=true"))
      << example_.agent->Log();
}

// TLS NotSupported never uses direct TLS: the _xmpps-server records exist,
// but they are not even looked up, and the streams go to xmpp-server.
TEST_F(DirectTlsSrvTest, TlsNotSupportedPartnerNeverAsksForDirectTls) {
  Federate(kNoTls);
  ASSERT_NE(Relay(example_, partner_, "plain-out"), "")
      << example_.agent->Log() << partner_.agent->Log();
  ASSERT_NE(Relay(partner_, example_, "plain-back"), "")
      << example_.agent->Log() << partner_.agent->Log();

  EXPECT_FALSE(AskedFor("_xmpps-server._tcp.partner.test"));
  EXPECT_FALSE(AskedFor("_xmpps-server._tcp.example.test"));
  EXPECT_TRUE(AskedFor("_xmpp-server._tcp.partner.test"));
  std::vector<JsonValue> sessions = Authenticated(example_);
  ASSERT_FALSE(sessions.empty());
  for (const JsonValue& session : sessions) {
    EXPECT_FALSE(Bool(session, "directTls")) << Str(session, "direction");
    EXPECT_EQ(Str(session, "tlsVersion"), "");
    EXPECT_EQ(Str(session, "auth"), "DialbackTcp");
  }
}

// An _xmpps-server target that does not speak TLS: the failed handshake
// moves on to the next target (_xmpp-server, STARTTLS), as a refused
// connection would.
class BrokenDirectTlsSrvTest : public DirectTlsSrvTest {
 protected:
  BrokenDirectTlsSrvTest() { xmpps_at_plain_port_ = true; }
};

TEST_F(BrokenDirectTlsSrvTest, FailedHandshakeFallsBackToStartTls) {
  Federate({"--partner-type", "Federated"});
  ASSERT_NE(Relay(example_, partner_, "fell-back"), "")
      << example_.agent->Log() << partner_.agent->Log();
  std::string log = example_.agent->Log();
  EXPECT_TRUE(Has(log, "s2s.outbound.connect_failed")) << log;
  bool outbound_seen = false;
  for (const JsonValue& session : Authenticated(example_)) {
    if (Str(session, "direction") != "Outbound") continue;
    outbound_seen = true;
    EXPECT_FALSE(Bool(session, "directTls"));
    EXPECT_EQ(Str(session, "peerAddress"),
              "127.0.0.1:" + std::to_string(partner_.s2s_port));
  }
  EXPECT_TRUE(outbound_seen) << example_.Cli({"get-session"}).out;
}

}  // namespace
}  // namespace xmppfed::testing
