// SASL EXTERNAL against scripted peers (blocking OpenSSL over loopback).
// Receiving side: a peer speaking STARTTLS with example.test's certificate
// sends what a real server never sends (a foreign authorization identity,
// retries, a mechanism not offered); the exact elements the agent answers
// with. Initiating side: a server for partner.test that refuses EXTERNAL,
// and the agent's fallback to dialback where the row allows it.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "tests/integration/federation/federation_fixture.h"
#include "tests/integration/federation/tls_peer.h"
#include "tests/support/raw_stream.h"

namespace xmppfed::testing {
namespace {

constexpr char kSaslNs[] = "urn:ietf:params:xml:ns:xmpp-sasl";

class SaslPeerTest : public FederationTest {
 protected:
  void SetUp() override {
    FederationTest::SetUp();
    StartAgent(partner_, example_.certificates.ca_cert);
    // example.test never runs: the scripted peer speaks for it, so there is
    // no proxyFqdn to give.
    CliResult added = partner_.Cli(
        {"new-partner", "example.test", "--tls-negotiation", "Required",
         "--sasl-negotiation", "Required", "--support-dialback-negotiation",
         "false", "--partner-type", "Federated", "--quiet"});
    ASSERT_EQ(added.exit_code, 0) << added;
    ConnectGateway(partner_);
  }

  // Opens a stream as example.test, runs STARTTLS with `certificate` and
  // reads the features after it.
  void Negotiate(TlsPeer& peer, const Certificates& certificate) {
    ASSERT_TRUE(peer.connected());
    peer.Send(ServerStreamHeader("example.test", "partner.test"));
    ASSERT_TRUE(peer.ReadUntil("</stream:features>")) << peer.received();
    peer.Send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
    ASSERT_TRUE(peer.ReadUntil("<proceed")) << peer.received();
    ASSERT_TRUE(peer.StartTls(certificate));
    peer.Send(ServerStreamHeader("example.test", "partner.test"));
    ASSERT_TRUE(peer.ReadUntil("</stream:features>")) << peer.received();
  }

  static std::string Auth(const std::string& mechanism,
                          const std::string& text) {
    return std::string("<auth xmlns='") + kSaslNs + "' mechanism='" +
           mechanism + "'>" + text + "</auth>";
  }
};

TEST_F(SaslPeerTest, ForeignAuthzidIsRefusedThenEqualsSignSucceeds) {
  TlsPeer peer(partner_.s2s_port);
  Negotiate(peer, example_.certificates);
  ASSERT_NE(peer.received().find("<mechanism>EXTERNAL</mechanism>"),
            std::string::npos)
      << peer.received();
  EXPECT_EQ(peer.received().find("urn:xmpp:features:dialback"),
            std::string::npos)
      << peer.received();

  // base64("other.test"): not the stream's `from`.
  peer.Clear();
  peer.Send(Auth("EXTERNAL", "b3RoZXIudGVzdA=="));
  ASSERT_TRUE(peer.ReadUntil("</failure>")) << peer.received();
  EXPECT_NE(peer.received().find("<invalid-authzid/>"), std::string::npos)
      << peer.received();
  // A mechanism that was not offered.
  peer.Clear();
  peer.Send(Auth("PLAIN", "AGFsaWNlAHNlY3JldA=="));
  ASSERT_TRUE(peer.ReadUntil("</failure>")) << peer.received();
  EXPECT_NE(peer.received().find("<invalid-mechanism/>"), std::string::npos)
      << peer.received();

  // "=": the empty authorization identity.
  peer.Clear();
  peer.Send(Auth("EXTERNAL", "="));
  ASSERT_TRUE(peer.ReadUntil("<success")) << peer.received();
  // The restart: a new stream with a new id and nothing left to negotiate.
  peer.Clear();
  peer.Send(ServerStreamHeader("example.test", "partner.test"));
  ASSERT_TRUE(peer.ReadUntil("features")) << peer.received();
  EXPECT_EQ(peer.received().find("starttls"), std::string::npos);
  EXPECT_EQ(peer.received().find("mechanisms"), std::string::npos);

  peer.Send(
      "<message from='alice@example.test' to='bob@partner.test' id='m1'>"
      "<body>over-sasl</body></message>");
  ASSERT_TRUE(partner_.gateway
                  ->WaitFor([](const std::string& xml) {
                    return xml.find("over-sasl") != std::string::npos;
                  })
                  .has_value())
      << partner_.agent->Log();
  std::vector<JsonValue> sessions = Sessions(partner_);
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(Str(sessions[0], "auth"), "SaslExternal");
  const std::string log = partner_.agent->Log();
  EXPECT_NE(log.find("s2s.inbound.sasl_failed"), std::string::npos) << log;
  EXPECT_NE(log.find("condition=invalid-authzid"), std::string::npos) << log;
  EXPECT_NE(log.find("s2s.inbound.authenticated"), std::string::npos) << log;
  EXPECT_NE(log.find("auth=SaslExternal domain=example.test identity=DNS-ID"),
            std::string::npos)
      << log;
}

// The id attribute of the last stream header in `text` ("" when none).
std::string LastStreamId(const std::string& text) {
  size_t header = text.rfind("<stream:stream");
  if (header == std::string::npos) return "";
  size_t id = text.find(" id='", header);
  if (id == std::string::npos) return "";
  id += 5;
  return text.substr(id, text.find('\'', id) - id);
}

TEST_F(SaslPeerTest, EveryRestartHasANewStreamId) {
  TlsPeer peer(partner_.s2s_port);
  ASSERT_TRUE(peer.connected());
  peer.Send(ServerStreamHeader("example.test", "partner.test"));
  ASSERT_TRUE(peer.ReadUntil("</stream:features>")) << peer.received();
  std::string plaintext_id = LastStreamId(peer.received());
  peer.Send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
  ASSERT_TRUE(peer.ReadUntil("<proceed")) << peer.received();
  ASSERT_TRUE(peer.StartTls(example_.certificates));
  peer.Clear();
  peer.Send(ServerStreamHeader("example.test", "partner.test"));
  ASSERT_TRUE(peer.ReadUntil("</stream:features>")) << peer.received();
  std::string tls_id = LastStreamId(peer.received());
  peer.Send(Auth("EXTERNAL", "="));
  ASSERT_TRUE(peer.ReadUntil("<success")) << peer.received();
  peer.Clear();
  peer.Send(ServerStreamHeader("example.test", "partner.test"));
  ASSERT_TRUE(peer.ReadUntil("features")) << peer.received();
  std::string sasl_id = LastStreamId(peer.received());
  EXPECT_FALSE(plaintext_id.empty());
  EXPECT_FALSE(tls_id.empty());
  EXPECT_FALSE(sasl_id.empty());
  EXPECT_NE(plaintext_id, tls_id);
  EXPECT_NE(tls_id, sasl_id);
  EXPECT_NE(plaintext_id, sasl_id);
}

TEST_F(SaslPeerTest, ThreeFailuresEndTheStream) {
  TlsPeer peer(partner_.s2s_port);
  Negotiate(peer, example_.certificates);
  peer.Clear();
  for (int i = 0; i < 3; ++i) {
    peer.Send(Auth("EXTERNAL", "b3RoZXIudGVzdA=="));
  }
  ASSERT_TRUE(peer.ReadUntil("</stream:stream>")) << peer.received();
  EXPECT_NE(peer.received().find("<policy-violation"), std::string::npos)
      << peer.received();
}

TEST_F(SaslPeerTest, CertificateForAnotherDomainGetsNoExternal) {
  // Neither valid for example.test nor from a CA partner.test trusts:
  // EXTERNAL is not offered, and with SASL the only way the stream ends.
  Certificates impostor =
      MakeCertificates(example_.dir->path(), "impostor CA", {"other.test"});
  TlsPeer peer(partner_.s2s_port);
  Negotiate(peer, impostor);
  EXPECT_EQ(peer.received().find("<mechanisms"), std::string::npos)
      << peer.received();
  ASSERT_TRUE(peer.ReadUntil("</stream:stream>")) << peer.received();
  EXPECT_NE(peer.received().find("<policy-violation"), std::string::npos)
      << peer.received();
}

// partner.test's server, scripted: STARTTLS (required), then EXTERNAL and
// dialback offered, and every <auth/> refused with <not-authorized/>.
// Everything the agent sent after that refusal ends up in after_failure().
class RefusingServer {
 public:
  explicit RefusingServer(Certificates certificates)
      : certificates_(std::move(certificates)),
        server_([this](TlsPeer& peer) { Serve(peer); }) {}
  uint16_t port() const { return server_.port(); }
  // Waits for the script to end (it ends by itself within seconds).
  void Join() { server_.Join(); }
  const std::string& auth() const { return auth_; }
  const std::string& after_failure() const { return after_failure_; }

 private:
  void Serve(TlsPeer& peer) {
    if (!AcceptStartTls(peer, certificates_, "partner.test", "example.test")) {
      return;
    }
    peer.Send(
        ServerStreamHeaderWithId("partner.test", "example.test", "secure") +
        "<stream:features><mechanisms xmlns='" + kSaslNs +
        "'><mechanism>EXTERNAL</mechanism></mechanisms><dialback "
        "xmlns='urn:xmpp:features:dialback'><errors/></dialback>"
        "</stream:features>");
    peer.Clear();
    if (!peer.ReadUntil("</auth>")) return;
    auth_ = peer.received();
    peer.Clear();
    peer.Send(std::string("<failure xmlns='") + kSaslNs +
              "'><not-authorized/></failure>");
    // The agent goes on with dialback or gives up.
    peer.ReadUntil("</db:result>") || peer.ReadUntil("</stream:stream>");
    after_failure_ = peer.received();
  }

  Certificates certificates_;
  std::string auth_;
  std::string after_failure_;
  // Last: its script uses the members above until it is destroyed.
  ScriptedServer server_;
};

class OutboundSaslTest : public FederationTest {
 protected:
  // example.test's agent, with partner.test (reached at the scripted
  // server) under `policy`; sends one message there.
  void SendThrough(RefusingServer& server, std::vector<std::string> policy) {
    StartAgent(example_, partner_.certificates.ca_cert);
    std::vector<std::string> args = {
        "new-partner",    "partner.test",
        "--proxy-fqdn",   "127.0.0.1:" + std::to_string(server.port()),
        "--partner-type", "Federated",
        "--quiet"};
    args.insert(args.end(), policy.begin(), policy.end());
    CliResult added = example_.Cli(args);
    ASSERT_EQ(added.exit_code, 0) << added;
    ConnectGateway(example_);
    example_.gateway->Send(
        "<message from='alice@example.test' to='bob@partner.test' id='m1'>"
        "<body>hello</body></message>");
    server.Join();
  }
};

TEST_F(OutboundSaslTest, RefusedExternalFallsBackToDialbackWhereAllowed) {
  RefusingServer server(partner_.certificates);
  SendThrough(server, {"--tls-negotiation", "Required", "--sasl-negotiation",
                       "Optional", "--support-dialback-negotiation", "true"});
  // Our authzid: the base64 of example.test.
  EXPECT_NE(server.auth().find("mechanism='EXTERNAL'>ZXhhbXBsZS50ZXN0</auth>"),
            std::string::npos)
      << server.auth();
  EXPECT_NE(server.after_failure().find("<db:result"), std::string::npos)
      << server.after_failure() << example_.agent->Log();
  const std::string log = example_.agent->Log();
  EXPECT_NE(log.find("s2s.outbound.sasl_failed"), std::string::npos) << log;
  EXPECT_NE(log.find("condition=not-authorized"), std::string::npos) << log;
}

TEST_F(OutboundSaslTest, RefusedExternalEndsTheAttemptWhenSaslIsTheOnlyWay) {
  RefusingServer server(partner_.certificates);
  SendThrough(server, {"--tls-negotiation", "Required", "--sasl-negotiation",
                       "Required", "--support-dialback-negotiation", "false"});
  EXPECT_NE(server.auth().find("mechanism='EXTERNAL'"), std::string::npos)
      << server.auth();
  EXPECT_EQ(server.after_failure().find("<db:result"), std::string::npos)
      << server.after_failure();
  std::optional<std::string> bounce =
      example_.gateway->WaitFor([](const std::string& xml) {
        return xml.find("id=\"m1\"") != std::string::npos &&
               xml.find("type=\"error\"") != std::string::npos;
      });
  ASSERT_TRUE(bounce.has_value()) << example_.agent->Log();
  EXPECT_NE(bounce->find("remote-server-not-found"), std::string::npos)
      << *bounce;
  EXPECT_NE(example_.agent->Log().find("s2s.outbound.failed"),
            std::string::npos);
}

// test-partner against a server that refuses our certificate: the failed
// step names the SASL failure and says what to do about it.
TEST_F(OutboundSaslTest, TestPartnerNamesTheSaslFailure) {
  RefusingServer server(partner_.certificates);
  StartAgent(example_, partner_.certificates.ca_cert);
  CliResult added = example_.Cli(
      {"new-partner", "partner.test", "--proxy-fqdn",
       "127.0.0.1:" + std::to_string(server.port()), "--tls-negotiation",
       "Required", "--sasl-negotiation", "Required",
       "--support-dialback-negotiation", "false", "--quiet"});
  ASSERT_EQ(added.exit_code, 0) << added;
  CliResult result =
      example_.Cli({"test-partner", "partner.test", "-o", "json"});
  server.Join();
  EXPECT_EQ(result.exit_code, 1) << result;
  JsonValue steps;
  ASSERT_TRUE(ParseJson(result.out, &steps)) << result;
  std::vector<JsonValue> list = Elements(steps);
  const JsonValue* failed = nullptr;
  for (const JsonValue& step : list) {
    if (Str(step, "result") == "Failed") failed = &step;
  }
  ASSERT_NE(failed, nullptr) << result;
  EXPECT_EQ(Str(*failed, "step"), "auth") << ToJson(*failed);
  EXPECT_NE(Str(*failed, "detail")
                .find("the peer refused SASL EXTERNAL with <not-authorized/>"),
            std::string::npos)
      << ToJson(*failed);
  EXPECT_NE(Str(*failed, "diagnosis")
                .find("does not accept this edge's certificate as proof of "
                      "example.test"),
            std::string::npos)
      << ToJson(*failed);
}

}  // namespace
}  // namespace xmppfed::testing
