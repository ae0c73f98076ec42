// The receiving side of SASL EXTERNAL against a scripted peer that speaks
// STARTTLS with example.test's certificate (blocking OpenSSL over loopback):
// what a real server never sends (a foreign authorization identity, retries,
// a mechanism not offered) and the exact elements the agent answers with.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "tests/integration/federation/federation_fixture.h"
#include "tests/support/raw_stream.h"

namespace xmppfed::testing {
namespace {

constexpr char kSaslNs[] = "urn:ietf:params:xml:ns:xmpp-sasl";

// One S2S connection to 127.0.0.1:`port`: plaintext until StartTls, then
// TLS presenting `cert`/`key` as the client certificate.
class TlsPeer {
 public:
  explicit TlsPeer(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) !=
        0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~TlsPeer() {
    if (ssl_ != nullptr) SSL_free(ssl_);
    if (ctx_ != nullptr) SSL_CTX_free(ctx_);
    if (fd_ >= 0) ::close(fd_);
  }

  bool connected() const { return fd_ >= 0; }

  bool StartTls(const Certificates& ours) {
    ctx_ = SSL_CTX_new(TLS_client_method());
    if (SSL_CTX_use_certificate_chain_file(ctx_, ours.cert.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx_, ours.key.c_str(), SSL_FILETYPE_PEM) !=
            1) {
      return false;
    }
    ssl_ = SSL_new(ctx_);
    SSL_set_fd(ssl_, fd_);
    SSL_set_tlsext_host_name(ssl_, "partner.test");
    received_.clear();
    return SSL_connect(ssl_) == 1;
  }

  bool Send(const std::string& bytes) {
    if (ssl_ != nullptr) {
      return SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size())) ==
             static_cast<int>(bytes.size());
    }
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }

  // Reads until what arrived since the last StartTls or Clear contains
  // `text`, the peer closes, or 10 s pass.
  bool ReadUntil(const std::string& text) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (received_.find(text) == std::string::npos && !closed_ &&
           std::chrono::steady_clock::now() < deadline) {
      if (ssl_ == nullptr || SSL_pending(ssl_) == 0) {
        pollfd ready{fd_, POLLIN, 0};
        if (::poll(&ready, 1, 100) <= 0) continue;
      }
      char buffer[16384];
      int n = ssl_ != nullptr
                  ? SSL_read(ssl_, buffer, sizeof buffer)
                  : static_cast<int>(::recv(fd_, buffer, sizeof buffer, 0));
      if (n <= 0) {
        closed_ = true;
      } else {
        received_.append(buffer, static_cast<size_t>(n));
      }
    }
    return received_.find(text) != std::string::npos;
  }

  void Clear() { received_.clear(); }
  const std::string& received() const { return received_; }

 private:
  int fd_ = -1;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  std::string received_;
  bool closed_ = false;
};

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

}  // namespace
}  // namespace xmppfed::testing
