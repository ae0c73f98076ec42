// XEP-0288 against scripted peers (tests/integration/federation/tls_peer.h):
// what goes the other way on a bidirectional stream is exactly the domain
// pair the peer authenticated, and nothing a real server would not send
// is accepted. Receiving side: a peer for example.test (SASL EXTERNAL)
// that asks for bidi gets partner.test's stanzas for example.test on its
// own stream, never those for a domain of its partner it did not prove.
// Initiating side: a server for example.test that accepts our request
// may send from example.test to partner.test on our stream, and is cut
// off with <invalid-from/> for any other `from`.
#include <gtest/gtest.h>

#include <string>

#include "tests/integration/federation/federation_fixture.h"
#include "tests/integration/federation/tls_peer.h"
#include "tests/support/raw_stream.h"

namespace xmppfed::testing {
namespace {

constexpr char kBidiFeature[] = "<bidi xmlns='urn:xmpp:features:bidi'/>";
constexpr char kBidiRequest[] = "<bidi xmlns='urn:xmpp:bidi'/>";
constexpr char kAuthExternal[] =
    "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>="
    "</auth>";

class BidiPeerTest : public FederationTest {
 protected:
  // partner.test's agent; example.test (with chat.example.test) is its
  // partner, TLS and SASL EXTERNAL required; the scripted peer speaks for
  // example.test, and nothing else listens for it (a closed port).
  void SetUp() override {
    FederationTest::SetUp();
    StartAgent(partner_, example_.certificates.ca_cert);
    CliResult added =
        partner_.Cli({"new-partner", "example.test", "--additional-domains",
                      "chat.example.test", "--proxy-fqdn", "127.0.0.1:1",
                      "--tls-negotiation", "Required", "--sasl-negotiation",
                      "Required", "--support-dialback-negotiation", "false",
                      "--partner-type", "Federated", "--quiet"});
    ASSERT_EQ(added.exit_code, 0) << added;
    ConnectGateway(partner_);
  }

  std::optional<std::string> AtGateway(const std::string& text) {
    return partner_.gateway->WaitFor([&](const std::string& xml) {
      return xml.find(text) != std::string::npos;
    });
  }
};

TEST_F(BidiPeerTest, TheOtherWayCarriesOnlyTheAuthenticatedPair) {
  TlsPeer peer(partner_.s2s_port);
  ASSERT_TRUE(peer.connected());
  peer.Send(ServerStreamHeader("example.test", "partner.test"));
  ASSERT_TRUE(peer.ReadUntil("</stream:features>")) << peer.received();
  EXPECT_EQ(peer.received().find(kBidiFeature), std::string::npos)
      << "offered before TLS to a partner that requires it";
  peer.Send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
  ASSERT_TRUE(peer.ReadUntil("<proceed")) << peer.received();
  ASSERT_TRUE(peer.StartTls(example_.certificates));
  peer.Send(ServerStreamHeader("example.test", "partner.test"));
  ASSERT_TRUE(peer.ReadUntil("</stream:features>")) << peer.received();
  EXPECT_NE(peer.received().find(kBidiFeature), std::string::npos)
      << peer.received();
  peer.Send(std::string(kBidiRequest) + kAuthExternal);
  ASSERT_TRUE(peer.ReadUntil("<success")) << peer.received();
  peer.Clear();
  peer.Send(ServerStreamHeader("example.test", "partner.test"));
  ASSERT_TRUE(peer.ReadUntil("</stream:features>")) << peer.received();
  peer.Send(
      "<message from='alice@example.test' to='bob@partner.test' id='in'>"
      "<body>over-bidi</body></message>");
  ASSERT_TRUE(AtGateway("over-bidi").has_value()) << partner_.agent->Log();

  // The authenticated pair, reversed: on the peer's own stream.
  partner_.gateway->Send(
      "<message from='bob@partner.test' to='alice@example.test' id='r1'>"
      "<body>answer-one</body></message>");
  ASSERT_TRUE(peer.ReadUntil("answer-one")) << partner_.agent->Log();
  // A domain of the same partner the peer never proved: not on this
  // stream (a stream of its own is tried, and fails: nothing listens).
  partner_.gateway->Send(
      "<message from='bob@partner.test' to='carol@chat.example.test' "
      "id='r2'><body>not-yours</body></message>");
  std::optional<std::string> bounce = AtGateway("id=\"r2\"");
  ASSERT_TRUE(bounce.has_value()) << partner_.agent->Log();
  EXPECT_NE(bounce->find("remote-server-not-found"), std::string::npos)
      << *bounce;
  partner_.gateway->Send(
      "<message from='bob@partner.test' to='alice@example.test' id='r3'>"
      "<body>answer-two</body></message>");
  ASSERT_TRUE(peer.ReadUntil("answer-two")) << partner_.agent->Log();
  EXPECT_EQ(peer.received().find("not-yours"), std::string::npos)
      << peer.received();

  std::vector<JsonValue> sessions = Sessions(partner_);
  ASSERT_EQ(sessions.size(), 1u) << partner_.Cli({"get-session"}).out;
  EXPECT_EQ(Str(sessions[0], "direction"), "Inbound");
  EXPECT_TRUE(Bool(sessions[0], "bidirectional"));
  EXPECT_EQ(Num(sessions[0], "stanzasOut"), 2);
}

TEST_F(BidiPeerTest, ARequestThatWasNotOfferedEndsTheStream) {
  TlsPeer peer(partner_.s2s_port);
  ASSERT_TRUE(peer.connected());
  peer.Send(ServerStreamHeader("example.test", "partner.test"));
  ASSERT_TRUE(peer.ReadUntil("</stream:features>")) << peer.received();
  peer.Send(kBidiRequest);
  ASSERT_TRUE(peer.ReadUntil("</stream:stream>")) << peer.received();
  EXPECT_TRUE(HasStreamError(peer.received(), "unsupported-stanza-type"))
      << peer.received();
}

// example.test's server, scripted: STARTTLS, then bidi and EXTERNAL
// offered; once the agent's stream is established, it sends `first` and
// `second` back over it and records everything the agent sent.
class BidiServer {
 public:
  BidiServer(Certificates certificates, std::string first, std::string second)
      : certificates_(std::move(certificates)),
        first_(std::move(first)),
        second_(std::move(second)),
        server_([this](TlsPeer& peer) { Serve(peer); }) {}
  uint16_t port() const { return server_.port(); }
  void Join() { server_.Join(); }
  // What the agent sent before its <auth/>, after TLS.
  const std::string& before_auth() const { return before_auth_; }
  // What it sent once the stream was established.
  const std::string& established() const { return established_; }

 private:
  static std::string Header(const std::string& id) {
    return ServerStreamHeaderWithId("example.test", "partner.test", id);
  }

  void Serve(TlsPeer& peer) {
    if (!AcceptStartTls(peer, certificates_, "example.test", "partner.test")) {
      return;
    }
    peer.Clear();
    peer.Send(Header("secured") + "<stream:features>" + kBidiFeature +
              "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
              "<mechanism>EXTERNAL</mechanism></mechanisms>"
              "</stream:features>");
    if (!peer.ReadUntil("</auth>")) return;
    before_auth_ = peer.received();
    peer.Send("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
    peer.Clear();
    if (!peer.ReadUntil("version='1.0'>")) return;
    peer.Send(Header("authenticated") + "<stream:features></stream:features>");
    if (!peer.ReadUntil("</message>")) return;
    peer.Send(first_);
    peer.Send(second_);
    peer.ReadUntil("</stream:stream>");
    established_ = peer.received();
  }

  Certificates certificates_;
  std::string first_, second_;
  std::string before_auth_;
  std::string established_;
  // Last: its script uses the members above until it is destroyed.
  ScriptedServer server_;
};

TEST_F(BidiPeerTest, OurStreamTakesOnlyThePartnersDomainBack) {
  BidiServer server(
      example_.certificates,
      "<message from='alice@example.test' to='bob@partner.test' id='b1'>"
      "<body>back-on-ours</body></message>",
      "<message from='mallory@chat.example.test' to='bob@partner.test' "
      "id='b2'><body>claimed</body></message>");
  CliResult moved =
      partner_.Cli({"set-partner", "example.test", "--proxy-fqdn",
                    "127.0.0.1:" + std::to_string(server.port())});
  ASSERT_EQ(moved.exit_code, 0) << moved;
  partner_.gateway->Send(
      "<message from='bob@partner.test' to='alice@example.test' id='o1'>"
      "<body>out</body></message>");
  ASSERT_TRUE(AtGateway("back-on-ours").has_value()) << partner_.agent->Log();
  server.Join();
  EXPECT_NE(server.before_auth().find(kBidiRequest), std::string::npos)
      << server.before_auth();
  EXPECT_LT(server.before_auth().find(kBidiRequest),
            server.before_auth().find("<auth"))
      << "requested before authenticating";
  EXPECT_TRUE(HasStreamError(server.established(), "invalid-from"))
      << server.established();
  // A message the gateway sends itself comes back after anything the agent
  // delivered before it: the claimed one never came.
  partner_.gateway->Send(
      "<message from='bob@partner.test' to='bob@partner.test' id='f1'>"
      "<body>fence</body></message>");
  ASSERT_TRUE(AtGateway("fence").has_value()) << partner_.agent->Log();
  for (const std::string& xml : partner_.gateway->Received()) {
    EXPECT_EQ(xml.find("claimed"), std::string::npos) << xml;
  }
}

}  // namespace
}  // namespace xmppfed::testing
