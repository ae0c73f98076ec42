#include "tests/unit/edge/stream/stream_harness.h"

#include <openssl/err.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "agent/edge/tls/tls_context.h"
#include "tests/support/certificates.h"
#include "tests/support/temp_dir.h"

namespace xmppfed::edge {

std::string MessageOfSize(int id, size_t bytes) {
  std::string head = "<message id='" + std::to_string(id) + "'><body>";
  std::string tail = "</body></message>";
  std::string body(bytes - head.size() - tail.size(), 'x');
  return head + body + tail;
}

void RecordingObserver::OnStreamOpen(const xml::StreamHeader& header) {
  events.push_back("open");
}

void RecordingObserver::OnStanza(xmpp_stanza_t* stanza) {
  const char* id = xmpp_stanza_get_id(stanza);
  events.push_back(std::string("stanza ") + (id == nullptr ? "" : id));
  ++stanzas;
  if (on_stanza) on_stanza(stanza);
}

void RecordingObserver::OnStreamEnd() { events.push_back("end"); }

void RecordingObserver::OnTlsEstablished() { events.push_back("tls"); }

void RecordingObserver::OnClosed(const std::string& reason) {
  events.push_back("closed " + reason);
  closed = true;
  closed_reason = reason;
  if (on_closed) on_closed();
}

StreamHarness::StreamHarness() {
  auto loop = net::EventLoop::Create(&clock_);
  EXPECT_TRUE(loop.ok()) << loop.status();
  if (loop.ok()) loop_ = *std::move(loop);
  xmpp_initialize();
  ctx_ = xmpp_ctx_new(nullptr, nullptr);
  EXPECT_EQ(
      ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fd_),
      0);
}

StreamHarness::~StreamHarness() {
  if (stream_ != nullptr) {
    stream_.reset();  // closes fd_[0]
  } else {
    ::close(fd_[0]);
  }
  ::close(fd_[1]);
  xmpp_ctx_free(ctx_);
}

void StreamHarness::StartStream(xml::StreamLimits limits) {
  stream_ = std::make_unique<XmlStream>(loop_.get(), ctx_, fd_[0], limits,
                                        &observer_);
  ASSERT_TRUE(stream_->Start().ok());
}

bool StreamHarness::PumpUntil(const std::function<bool()>& done, int rounds) {
  for (int i = 0; i < rounds && !done(); ++i) Pump();
  return done();
}

void StreamHarness::Advance(absl::Duration by) {
  clock_.Advance(by);
  Pump();
}

void StreamHarness::PeerWrite(std::string_view bytes) {
  for (int i = 0; i < 100000 && !bytes.empty(); ++i) {
    ssize_t n = ::send(fd_[1], bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<size_t>(n));
    } else {
      ASSERT_TRUE(errno == EAGAIN || errno == EWOULDBLOCK) << errno;
      Pump();
    }
  }
  ASSERT_TRUE(bytes.empty()) << "the stream never read its input";
}

bool StreamHarness::PeerRead() {
  char buffer[65536];
  while (true) {
    ssize_t n = ::recv(fd_[1], buffer, sizeof buffer, 0);
    if (n > 0) {
      peer_received_.append(buffer, static_cast<size_t>(n));
      continue;
    }
    if (n == 0) peer_eof_ = true;
    return !peer_eof_;
  }
}

int StreamHarness::UnreadAtStream() const {
  int unread = 0;
  ::ioctl(fd_[0], FIONREAD, &unread);
  return unread;
}

namespace {

struct TlsMaterial {
  testing::TempDir dir{"xml-stream"};
  testing::Certificates local =
      testing::MakeCertificates(dir.path(), "local CA", {"local.example"});
  std::unique_ptr<tls::TlsContexts> contexts;
  SSL_CTX* client = nullptr;

  TlsMaterial() {
    auto made = tls::TlsContexts::Create({{local.cert, local.key}}, "");
    EXPECT_TRUE(made.ok()) << made.status();
    if (made.ok()) contexts = *std::move(made);
    client = SSL_CTX_new(TLS_client_method());
    SSL_CTX_load_verify_locations(client, local.ca_cert.c_str(), nullptr);
    SSL_CTX_set_verify(client, SSL_VERIFY_PEER, nullptr);
  }
};

TlsMaterial& Material() {
  static TlsMaterial* material = new TlsMaterial();
  return *material;
}

}  // namespace

SSL_CTX* TlsPeer::ServerContext() { return Material().contexts->server(); }

SSL_CTX* TlsPeer::ClientContext() { return Material().client; }

TlsPeer::TlsPeer(int fd) : ssl_(SSL_new(ClientContext())) {
  SSL_set_fd(ssl_, fd);
  SSL_set_tlsext_host_name(ssl_, "local.example");
  SSL_set1_host(ssl_, "local.example");
  SSL_set_connect_state(ssl_);
}

TlsPeer::~TlsPeer() { SSL_free(ssl_); }

int TlsPeer::Handshake() {
  ERR_clear_error();
  int result = SSL_do_handshake(ssl_);
  if (result == 1) return 1;
  int error = SSL_get_error(ssl_, result);
  return error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE ? 0 : -1;
}

void TlsPeer::Write(std::string_view bytes, const std::function<void()>& pump) {
  for (int i = 0; i < 100000 && !bytes.empty(); ++i) {
    ERR_clear_error();
    size_t want = std::min<size_t>(bytes.size(), 65536);
    int n = SSL_write(ssl_, bytes.data(), static_cast<int>(want));
    if (n > 0) {
      bytes.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    int error = SSL_get_error(ssl_, n);
    ASSERT_TRUE(error == SSL_ERROR_WANT_WRITE || error == SSL_ERROR_WANT_READ)
        << error;
    pump();
  }
  ASSERT_TRUE(bytes.empty()) << "the stream never read its TLS input";
}

bool TlsPeer::Read(std::string* out) {
  char buffer[16384];
  while (true) {
    ERR_clear_error();
    int n = SSL_read(ssl_, buffer, sizeof buffer);
    if (n > 0) {
      out->append(buffer, static_cast<size_t>(n));
      continue;
    }
    int error = SSL_get_error(ssl_, n);
    return error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE;
  }
}

}  // namespace xmppfed::edge
