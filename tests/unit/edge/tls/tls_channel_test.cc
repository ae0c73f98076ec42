// TlsChannel over a non-blocking socketpair: handshakes driven step by step
// from both ends, SNI, the trust verdict, client certificates, data, and the
// hardening TlsContexts promises (TLS 1.2+, forward-secret AEAD ciphers, no
// resumption).
#include "agent/edge/tls/tls_channel.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <memory>
#include <string>

#include "agent/edge/tls/alpn.h"
#include "agent/edge/tls/tls_context.h"
#include "tests/support/certificates.h"
#include "tests/support/temp_dir.h"

namespace xmppfed::edge::tls {
namespace {

using ::testing::AnyOf;
using ::testing::HasSubstr;
using xmppfed::testing::Certificates;
using xmppfed::testing::MakeCertificates;
using xmppfed::testing::TempDir;
using Io = TlsChannel::Io;

// 1: done; 0: wants the socket; -1: failed.
using Step = std::function<int()>;

int Outcome(Io io) {
  if (io == Io::kDone) return 1;
  return io == Io::kWantRead || io == Io::kWantWrite ? 0 : -1;
}

// Steps both ends in turn until both are done or one failed (the other then
// waits in vain); each end's last outcome.
std::pair<int, int> Drive(const Step& a, const Step& b) {
  int ra = 0, rb = 0;
  for (int i = 0; i < 200 && (ra == 0 || rb == 0) && ra >= 0 && rb >= 0; ++i) {
    if (ra == 0) ra = a();
    if (rb == 0) rb = b();
  }
  return {ra, rb};
}

int RawHandshake(SSL* ssl) {
  int result = SSL_do_handshake(ssl);
  if (result == 1) return 1;
  int error = SSL_get_error(ssl, result);
  return error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE ? 0 : -1;
}

struct SocketPair {
  int fd[2] = {-1, -1};
  SocketPair() {
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fd), 0);
  }
  ~SocketPair() {
    ::close(fd[0]);
    ::close(fd[1]);
  }
};

class TlsChannelTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("tls-channel");
    alpha_ = MakeCertificates(dir_->path(), "alpha CA", {"alpha.test"});
    beta_ = MakeCertificates(dir_->path(), "beta CA", {"beta.test"});
    peer_ = MakeCertificates(dir_->path(), "peer CA", {"peer.test"});
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  static std::unique_ptr<TlsContexts> Contexts(
      const std::vector<const Certificates*>& credentials,
      const std::string& ca_file) {
    std::vector<Credential> pairs;
    for (const Certificates* c : credentials)
      pairs.push_back({c->cert, c->key});
    auto contexts = TlsContexts::Create(pairs, ca_file);
    EXPECT_TRUE(contexts.ok()) << contexts.status();
    return contexts.ok() ? *std::move(contexts) : nullptr;
  }

  // A server channel on fd[0] and a client channel on fd[1], handshaken.
  // False when either end failed.
  bool Connect(const TlsContexts& server_side, const TlsContexts& client_side,
               const std::string& server_name,
               TlsChannel::Mode mode = TlsChannel::Mode::kStartTls) {
    auto server =
        TlsChannel::Server(server_side.server(), link_->fd[0], nullptr, mode);
    auto client = TlsChannel::Client(client_side.client(), link_->fd[1],
                                     server_name, nullptr, mode);
    EXPECT_TRUE(server.ok() && client.ok());
    if (!server.ok() || !client.ok()) return false;
    server_ = *std::move(server);
    client_ = *std::move(client);
    auto [s, c] = Drive([&] { return Outcome(server_->Handshake()); },
                        [&] { return Outcome(client_->Handshake()); });
    return s == 1 && c == 1;
  }

  // The server's handshake outcome against a raw client SSL on fd[1].
  int ServerAgainst(SSL* client, const TlsContexts& server_side,
                    TlsChannel::Mode mode = TlsChannel::Mode::kStartTls) {
    auto server =
        TlsChannel::Server(server_side.server(), link_->fd[0], nullptr, mode);
    EXPECT_TRUE(server.ok());
    if (!server.ok()) return -2;
    server_ = *std::move(server);
    SSL_set_fd(client, link_->fd[1]);
    SSL_set_tlsext_host_name(client, "alpha.test");
    SSL_set_connect_state(client);
    auto [s, c] = Drive([&] { return Outcome(server_->Handshake()); },
                        [&] { return RawHandshake(client); });
    return s == 1 && c == 1 ? 1 : s < 0 ? -1 : 0;
  }

  // Writes all of `data` from `from`, reading at `to` meanwhile.
  static std::string Transfer(TlsChannel& from, TlsChannel& to,
                              const std::string& data) {
    std::string received;
    size_t sent = 0;
    for (int i = 0; i < 10000 && received.size() < data.size(); ++i) {
      if (sent < data.size()) {
        size_t written = 0;
        Io io = from.Write(std::string_view(data).substr(sent), &written);
        EXPECT_TRUE(io == Io::kDone || io == Io::kWantWrite ||
                    io == Io::kWantRead);
        sent += written;
      }
      Io io = to.Read(&received, 64 * 1024);
      EXPECT_TRUE(io == Io::kDone || io == Io::kWantRead) << to.last_error();
    }
    return received;
  }

  static TempDir* dir_;
  static Certificates alpha_, beta_, peer_;
  std::unique_ptr<SocketPair> link_ = std::make_unique<SocketPair>();
  std::unique_ptr<TlsChannel> server_, client_;
};

TempDir* TlsChannelTest::dir_ = nullptr;
Certificates TlsChannelTest::alpha_, TlsChannelTest::beta_,
    TlsChannelTest::peer_;

TEST_F(TlsChannelTest, HandshakeCompletesAndExposesVersionCipherAndPeer) {
  auto server_side = Contexts({&alpha_}, peer_.ca_cert);
  auto client_side = Contexts({}, alpha_.ca_cert);
  ASSERT_TRUE(Connect(*server_side, *client_side, "alpha.test"));
  EXPECT_THAT(client_->version(), AnyOf("TLSv1.2", "TLSv1.3"));
  EXPECT_EQ(server_->version(), client_->version());
  EXPECT_FALSE(client_->cipher().empty());
  EXPECT_EQ(server_->cipher(), client_->cipher());
  EXPECT_EQ(server_->requested_server_name(), "alpha.test");

  EXPECT_TRUE(client_->peer_certificate_present());
  EXPECT_TRUE(client_->peer_chain_trusted());
  EXPECT_TRUE(client_->PeerNameMatches("alpha.test"));
  EXPECT_FALSE(client_->PeerNameMatches("beta.test"));
  EXPECT_FALSE(client_->PeerNameMatches("sub.alpha.test"));
  // A client certificate is asked for, not required.
  EXPECT_FALSE(server_->peer_certificate_present());
  EXPECT_FALSE(server_->peer_chain_trusted());
}

TEST_F(TlsChannelTest, UntrustedChainCompletesWithVerdictFalse) {
  auto server_side = Contexts({&alpha_}, peer_.ca_cert);
  auto client_side = Contexts({}, beta_.ca_cert);  // not alpha's CA
  ASSERT_TRUE(Connect(*server_side, *client_side, "alpha.test"));
  EXPECT_TRUE(client_->peer_certificate_present());
  EXPECT_FALSE(client_->peer_chain_trusted());
  EXPECT_TRUE(client_->PeerNameMatches("alpha.test"));
}

TEST_F(TlsChannelTest, SniPicksTheCredentialNamingTheHostElseTheFirst) {
  auto server_side = Contexts({&alpha_, &beta_}, peer_.ca_cert);
  auto client_side = Contexts({}, beta_.ca_cert);
  ASSERT_TRUE(Connect(*server_side, *client_side, "beta.test"));
  EXPECT_TRUE(client_->PeerNameMatches("beta.test"));
  EXPECT_FALSE(client_->PeerNameMatches("alpha.test"));
  EXPECT_TRUE(client_->peer_chain_trusted());
  EXPECT_EQ(server_->requested_server_name(), "beta.test");
}

TEST_F(TlsChannelTest, SniForAnUnknownHostKeepsTheFirstCredential) {
  auto server_side = Contexts({&alpha_, &beta_}, peer_.ca_cert);
  auto client_side = Contexts({}, alpha_.ca_cert);
  ASSERT_TRUE(Connect(*server_side, *client_side, "gamma.test"));
  EXPECT_TRUE(client_->PeerNameMatches("alpha.test"));
  EXPECT_EQ(server_->requested_server_name(), "gamma.test");
}

TEST_F(TlsChannelTest, ClientPresentsItsFirstCredential) {
  auto server_side = Contexts({&alpha_}, peer_.ca_cert);
  auto client_side = Contexts({&peer_, &beta_}, alpha_.ca_cert);
  ASSERT_TRUE(Connect(*server_side, *client_side, "alpha.test"));
  EXPECT_TRUE(server_->peer_certificate_present());
  EXPECT_TRUE(server_->peer_chain_trusted());
  EXPECT_TRUE(server_->PeerNameMatches("peer.test"));
  EXPECT_FALSE(server_->PeerNameMatches("beta.test"));
}

TEST_F(TlsChannelTest, ClientCertificateOfAnotherCaIsPresentButUntrusted) {
  auto server_side = Contexts({&alpha_}, beta_.ca_cert);
  auto client_side = Contexts({&peer_}, alpha_.ca_cert);
  ASSERT_TRUE(Connect(*server_side, *client_side, "alpha.test"));
  EXPECT_TRUE(server_->peer_certificate_present());
  EXPECT_FALSE(server_->peer_chain_trusted());
}

TEST_F(TlsChannelTest, ARepeatedChainIsVerifiedOnceAndJudgedAlike) {
  auto server_side = Contexts({&alpha_}, peer_.ca_cert);
  auto client_side = Contexts({&peer_}, alpha_.ca_cert);
  for (int i = 0; i < 3; ++i) {
    server_.reset();
    client_.reset();
    link_ = std::make_unique<SocketPair>();
    ASSERT_TRUE(Connect(*server_side, *client_side, "alpha.test"));
    EXPECT_TRUE(server_->peer_chain_trusted());
    EXPECT_TRUE(client_->peer_chain_trusted());
  }
  EXPECT_EQ(server_side->client_chain_verdicts().misses(), 1u);
  EXPECT_EQ(server_side->client_chain_verdicts().hits(), 2u);
  EXPECT_EQ(client_side->server_chain_verdicts().misses(), 1u);
  EXPECT_EQ(client_side->server_chain_verdicts().hits(), 2u);
}

// A reload retires the contexts a handshake in progress was made from: the
// channels own them (ctx_owner), so the SNI switch and the verdict caches
// they call back into stay valid until the handshake is done.
TEST_F(TlsChannelTest, ChannelsKeepTheirContextsThroughAReload) {
  std::shared_ptr<const TlsContexts> server_side =
      Contexts({&alpha_, &beta_}, peer_.ca_cert);
  std::shared_ptr<const TlsContexts> client_side =
      Contexts({&peer_}, beta_.ca_cert);
  auto server =
      TlsChannel::Server(server_side->server(), link_->fd[0], server_side);
  auto client = TlsChannel::Client(client_side->client(), link_->fd[1],
                                   "beta.test", client_side);
  ASSERT_TRUE(server.ok() && client.ok());
  std::weak_ptr<const TlsContexts> retired = server_side;
  server_side.reset();
  client_side.reset();
  EXPECT_FALSE(retired.expired());
  auto [s, c] = Drive([&] { return Outcome((*server)->Handshake()); },
                      [&] { return Outcome((*client)->Handshake()); });
  ASSERT_EQ(s, 1);
  ASSERT_EQ(c, 1);
  EXPECT_TRUE((*client)->peer_chain_trusted());  // beta's, chosen by SNI
  EXPECT_TRUE((*server)->peer_chain_trusted());
  server->reset();
  EXPECT_TRUE(retired.expired());
}

TEST_F(TlsChannelTest, DataRoundTripsBothWaysAndReadHonoursMaxBytes) {
  auto server_side = Contexts({&alpha_}, peer_.ca_cert);
  auto client_side = Contexts({}, alpha_.ca_cert);
  ASSERT_TRUE(Connect(*server_side, *client_side, "alpha.test"));
  std::string nothing;
  EXPECT_EQ(server_->Read(&nothing, 100), Io::kWantRead);
  EXPECT_EQ(nothing, "");

  EXPECT_EQ(Transfer(*client_, *server_, "<stream:stream>"), "<stream:stream>");
  std::string big(300 * 1024, 'x');
  for (size_t i = 0; i < big.size(); i += 997) big[i] = char('a' + i % 26);
  EXPECT_EQ(Transfer(*server_, *client_, big), big);

  size_t written = 0;
  ASSERT_EQ(client_->Write("0123456789abcdef", &written), Io::kDone);
  EXPECT_EQ(written, 16u);
  std::string part = "kept:";
  Io io = Io::kWantRead;
  for (int i = 0; i < 100 && io == Io::kWantRead; ++i) {
    io = server_->Read(&part, 10);
  }
  EXPECT_EQ(io, Io::kDone);
  EXPECT_EQ(part, "kept:0123456789");  // appended, at most max_bytes
  ASSERT_EQ(server_->Read(&part, 100), Io::kDone);
  EXPECT_EQ(part, "kept:0123456789abcdef");
}

TEST_F(TlsChannelTest, ShutdownIsSeenAsClosed) {
  auto server_side = Contexts({&alpha_}, peer_.ca_cert);
  auto client_side = Contexts({}, alpha_.ca_cert);
  ASSERT_TRUE(Connect(*server_side, *client_side, "alpha.test"));
  EXPECT_EQ(client_->Shutdown(), Io::kDone);
  std::string out;
  Io io = Io::kWantRead;
  for (int i = 0; i < 100 && io == Io::kWantRead; ++i) {
    io = server_->Read(&out, 100);
  }
  EXPECT_EQ(io, Io::kClosed);
  EXPECT_EQ(out, "");
}

TEST_F(TlsChannelTest, PlaintextInjectedAfterTheHandshakeIsNeverDelivered) {
  auto server_side = Contexts({&alpha_}, peer_.ca_cert);
  auto client_side = Contexts({}, alpha_.ca_cert);
  ASSERT_TRUE(Connect(*server_side, *client_side, "alpha.test"));
  const std::string injected = "<message to='victim'>plain</message>";
  ASSERT_EQ(::write(link_->fd[1], injected.data(), injected.size()),
            static_cast<ssize_t>(injected.size()));
  std::string out;
  Io io = server_->Read(&out, 1024);
  EXPECT_EQ(io, Io::kError);
  EXPECT_EQ(out, "");
  EXPECT_FALSE(server_->last_error().empty());
}

TEST_F(TlsChannelTest, PeerNotSpeakingTlsFailsTheHandshakeWithAnError) {
  auto server_side = Contexts({&alpha_}, peer_.ca_cert);
  auto server = TlsChannel::Server(server_side->server(), link_->fd[0]);
  ASSERT_TRUE(server.ok());
  const std::string plain = "<?xml version='1.0'?><stream:stream to='a'>";
  ASSERT_GT(::write(link_->fd[1], plain.data(), plain.size()), 0);
  EXPECT_EQ((*server)->Handshake(), Io::kError);
  EXPECT_FALSE((*server)->last_error().empty());
}

TEST_F(TlsChannelTest, ServerWithoutCredentialIsFailedPrecondition) {
  EXPECT_EQ(TlsChannel::Server(nullptr, link_->fd[0]).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(TlsChannelTest, Tls12UsesAForwardSecretAeadCipher) {
  auto server_side = Contexts({&alpha_}, peer_.ca_cert);
  auto client_side = Contexts({}, alpha_.ca_cert);
  SSL* client = SSL_new(client_side->client());
  SSL_set_max_proto_version(client, TLS1_2_VERSION);
  EXPECT_EQ(ServerAgainst(client, *server_side), 1);
  SSL_free(client);
  EXPECT_EQ(server_->version(), "TLSv1.2");
  EXPECT_THAT(server_->cipher(), HasSubstr("ECDHE"));
  EXPECT_THAT(server_->cipher(),
              AnyOf(HasSubstr("GCM"), HasSubstr("CHACHA20")));
}

TEST_F(TlsChannelTest, Tls12ClientOfferingOnlyCbcCiphersIsRefused) {
  auto server_side = Contexts({&alpha_}, peer_.ca_cert);
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
  ASSERT_EQ(SSL_CTX_set_cipher_list(
                ctx, "ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA"),
            1);
  SSL* client = SSL_new(ctx);
  EXPECT_EQ(ServerAgainst(client, *server_side), -1) << server_->cipher();
  SSL_free(client);
  SSL_CTX_free(ctx);
}

TEST_F(TlsChannelTest, Tls11ClientIsRefused) {
  auto server_side = Contexts({&alpha_}, peer_.ca_cert);
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_security_level(ctx, 0);
  SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
  SSL_CTX_set_max_proto_version(ctx, TLS1_1_VERSION);
  SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0");
  SSL* client = SSL_new(ctx);
  EXPECT_EQ(ServerAgainst(client, *server_side), -1);
  SSL_free(client);
  SSL_CTX_free(ctx);
}

// A client that keeps its session and offers it on the next connection.
class TlsResumptionTest : public TlsChannelTest,
                          public ::testing::WithParamInterface<int> {};

TEST_P(TlsResumptionTest, SessionsAreNeverResumed) {
  auto server_side = Contexts({&alpha_}, peer_.ca_cert);
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_max_proto_version(ctx, GetParam());
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT);
  SSL* first = SSL_new(ctx);
  ASSERT_EQ(ServerAgainst(first, *server_side), 1);
  // A read makes the client take the session tickets TLS 1.3 sends after
  // the handshake.
  size_t written = 0;
  ASSERT_EQ(server_->Write("x", &written), Io::kDone);
  char byte;
  int read = -1;
  for (int i = 0; i < 100 && read <= 0; ++i) read = SSL_read(first, &byte, 1);
  ASSERT_EQ(read, 1);
  // Shut down cleanly: SSL_free would otherwise spoil the session.
  SSL_shutdown(first);
  SSL_SESSION* session = SSL_get1_session(first);
  SSL_free(first);
  server_.reset();

  SocketPair second_link;
  std::swap(link_->fd, second_link.fd);
  SSL* second = SSL_new(ctx);
  SSL_set_session(second, session);
  EXPECT_EQ(ServerAgainst(second, *server_side), 1) << server_->last_error();
  EXPECT_EQ(SSL_session_reused(second), 0);
  SSL_free(second);
  SSL_SESSION_free(session);
  SSL_CTX_free(ctx);
}

INSTANTIATE_TEST_SUITE_P(Versions, TlsResumptionTest,
                         ::testing::Values(TLS1_2_VERSION, TLS1_3_VERSION));

// XEP-0368 direct TLS: ALPN "xmpp-server" offered by our client and
// selected by our server, SNI still choosing the local domain's
// certificate.
TEST_F(TlsChannelTest, DirectTlsNegotiatesAlpnXmppServerWithSni) {
  auto server_side = Contexts({&alpha_, &beta_}, peer_.ca_cert);
  auto client_side = Contexts({}, beta_.ca_cert);
  ASSERT_TRUE(Connect(*server_side, *client_side, "beta.test",
                      TlsChannel::Mode::kDirect));
  EXPECT_EQ(client_->alpn(), "xmpp-server");
  EXPECT_EQ(server_->alpn(), "xmpp-server");
  EXPECT_TRUE(client_->PeerNameMatches("beta.test"));
  EXPECT_TRUE(client_->peer_chain_trusted());
}

// Offers raw ALPN `protocols` (wire form) from an OpenSSL client.
SSL* ClientOffering(SSL_CTX* ctx, const std::string& protocols) {
  SSL* client = SSL_new(ctx);
  if (!protocols.empty()) {
    SSL_set_alpn_protos(
        client, reinterpret_cast<const unsigned char*>(protocols.data()),
        static_cast<unsigned int>(protocols.size()));
  }
  return client;
}

TEST_F(TlsChannelTest, DirectTlsRefusesOtherAlpnWithNoApplicationProtocol) {
  auto server_side = Contexts({&alpha_}, peer_.ca_cert);
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL* client = ClientOffering(ctx, AlpnWire("h2") + AlpnWire("http/1.1"));
  EXPECT_EQ(ServerAgainst(client, *server_side, TlsChannel::Mode::kDirect), -1);
  EXPECT_THAT(server_->last_error(), HasSubstr("no application protocol"));
  SSL_free(client);
  SSL_CTX_free(ctx);
}

TEST_F(TlsChannelTest, DirectTlsSelectsXmppServerAmongOtherOffers) {
  auto server_side = Contexts({&alpha_}, peer_.ca_cert);
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL* client = ClientOffering(ctx, AlpnWire("h2") + AlpnWire("xmpp-server"));
  EXPECT_EQ(ServerAgainst(client, *server_side, TlsChannel::Mode::kDirect), 1);
  EXPECT_EQ(server_->alpn(), "xmpp-server");
  SSL_free(client);
  SSL_CTX_free(ctx);
}

TEST_F(TlsChannelTest, DirectTlsAcceptsAClientOfferingNoAlpn) {
  auto server_side = Contexts({&alpha_}, peer_.ca_cert);
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL* client = ClientOffering(ctx, "");
  EXPECT_EQ(ServerAgainst(client, *server_side, TlsChannel::Mode::kDirect), 1);
  EXPECT_EQ(server_->alpn(), "");
  SSL_free(client);
  SSL_CTX_free(ctx);
}

// STARTTLS runs inside an XMPP stream already open: ALPN plays no part.
TEST_F(TlsChannelTest, StartTlsIgnoresAlpnOffers) {
  auto server_side = Contexts({&alpha_}, peer_.ca_cert);
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL* client = ClientOffering(ctx, AlpnWire("h2"));
  EXPECT_EQ(ServerAgainst(client, *server_side), 1);
  EXPECT_EQ(server_->alpn(), "");
  SSL_free(client);
  SSL_CTX_free(ctx);
}

TEST(FindXmppServerAlpnTest, FindsTheNameOrNothingInMalformedLists) {
  std::string list = AlpnWire("h2") + AlpnWire("xmpp-server");
  auto bytes = [](const std::string& s) {
    return reinterpret_cast<const unsigned char*>(s.data());
  };
  EXPECT_EQ(FindXmppServerAlpn(bytes(list), list.size()), 4u);
  std::string other = AlpnWire("xmpp-client");
  EXPECT_EQ(FindXmppServerAlpn(bytes(other), other.size()), std::nullopt);
  std::string truncated = list.substr(0, list.size() - 1);
  EXPECT_EQ(FindXmppServerAlpn(bytes(truncated), truncated.size()),
            std::nullopt);
  std::string empty_name("\0", 1);
  EXPECT_EQ(FindXmppServerAlpn(bytes(empty_name), 1), std::nullopt);
}

}  // namespace
}  // namespace xmppfed::edge::tls
