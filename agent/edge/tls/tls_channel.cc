#include "agent/edge/tls/tls_channel.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "agent/edge/tls/alpn.h"

namespace xmppfed::edge::tls {
namespace {

std::string DrainErrors() {
  std::string text;
  while (unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    if (!text.empty()) text += "; ";
    text += buffer;
  }
  return text;
}

}  // namespace

absl::StatusOr<std::unique_ptr<TlsChannel>> TlsChannel::Server(
    SSL_CTX* ctx, int fd, std::shared_ptr<const void> ctx_owner, Mode mode) {
  if (ctx == nullptr) {
    return absl::FailedPreconditionError("no certificate to serve TLS with");
  }
  SSL* ssl = SSL_new(ctx);
  if (ssl == nullptr || SSL_set_fd(ssl, fd) != 1) {
    if (ssl != nullptr) SSL_free(ssl);
    return absl::InternalError(DrainErrors());
  }
  if (mode == Mode::kDirect) MarkDirectTls(ssl);
  SSL_set_accept_state(ssl);
  return std::unique_ptr<TlsChannel>(new TlsChannel(ssl, std::move(ctx_owner)));
}

absl::StatusOr<std::unique_ptr<TlsChannel>> TlsChannel::Client(
    SSL_CTX* ctx, int fd, const std::string& server_name,
    std::shared_ptr<const void> ctx_owner, Mode mode) {
  SSL* ssl = SSL_new(ctx);
  if (ssl == nullptr || SSL_set_fd(ssl, fd) != 1) {
    if (ssl != nullptr) SSL_free(ssl);
    return absl::InternalError(DrainErrors());
  }
  SSL_set_tlsext_host_name(ssl, server_name.c_str());
  if (mode == Mode::kDirect) {
    std::string protocols = AlpnWire(kXmppServerAlpn);
    SSL_set_alpn_protos(
        ssl, reinterpret_cast<const unsigned char*>(protocols.data()),
        static_cast<unsigned int>(protocols.size()));
  }
  SSL_set_connect_state(ssl);
  return std::unique_ptr<TlsChannel>(new TlsChannel(ssl, std::move(ctx_owner)));
}

TlsChannel::~TlsChannel() { SSL_free(ssl_); }

TlsChannel::Io TlsChannel::Classify(int result) {
  int error = SSL_get_error(ssl_, result);
  switch (error) {
    case SSL_ERROR_WANT_READ:
      return Io::kWantRead;
    case SSL_ERROR_WANT_WRITE:
      return Io::kWantWrite;
    case SSL_ERROR_ZERO_RETURN:
      return Io::kClosed;
    case SSL_ERROR_SYSCALL:
      last_error_ = DrainErrors();
      if (last_error_.empty()) last_error_ = "connection closed";
      return Io::kClosed;
    default:
      last_error_ = DrainErrors();
      if (last_error_.empty())
        last_error_ = "TLS error " + std::to_string(error);
      return Io::kError;
  }
}

TlsChannel::Io TlsChannel::Handshake() {
  ERR_clear_error();
  int result = SSL_do_handshake(ssl_);
  if (result == 1) return Io::kDone;
  Io io = Classify(result);
  return io == Io::kClosed ? Io::kError : io;
}

TlsChannel::Io TlsChannel::Read(std::string* out, size_t max_bytes) {
  size_t before = out->size();
  Io io = Io::kDone;
  while (out->size() - before < max_bytes) {
    char buffer[16384];
    ERR_clear_error();
    size_t want = std::min(sizeof buffer, max_bytes - (out->size() - before));
    int n = SSL_read(ssl_, buffer, static_cast<int>(want));
    if (n > 0) {
      out->append(buffer, static_cast<size_t>(n));
      continue;
    }
    io = Classify(n);
    break;
  }
  if (out->size() > before && io == Io::kWantRead) return Io::kDone;
  if (out->size() > before && io == Io::kDone) return Io::kDone;
  return io;
}

TlsChannel::Io TlsChannel::Write(std::string_view data, size_t* written) {
  *written = 0;
  if (data.empty()) return Io::kDone;
  ERR_clear_error();
  int n = SSL_write(ssl_, data.data(), static_cast<int>(data.size()));
  if (n > 0) {
    *written = static_cast<size_t>(n);
    return Io::kDone;
  }
  return Classify(n);
}

TlsChannel::Io TlsChannel::Shutdown() {
  ERR_clear_error();
  int result = SSL_shutdown(ssl_);
  if (result >= 0) return Io::kDone;
  return Classify(result);
}

std::string TlsChannel::version() const { return SSL_get_version(ssl_); }

std::string TlsChannel::cipher() const {
  const char* name = SSL_get_cipher_name(ssl_);
  return name == nullptr ? "" : name;
}

std::string TlsChannel::requested_server_name() const {
  const char* name = SSL_get_servername(ssl_, TLSEXT_NAMETYPE_host_name);
  return name == nullptr ? "" : name;
}

std::string TlsChannel::alpn() const {
  const unsigned char* data = nullptr;
  unsigned int length = 0;
  SSL_get0_alpn_selected(ssl_, &data, &length);
  return data == nullptr
             ? ""
             : std::string(reinterpret_cast<const char*>(data), length);
}

bool TlsChannel::peer_certificate_present() const {
  return SSL_get0_peer_certificate(ssl_) != nullptr;
}

X509* TlsChannel::peer_certificate() const {
  return SSL_get0_peer_certificate(ssl_);
}

bool TlsChannel::peer_chain_trusted() const {
  return peer_certificate_present() && SSL_get_verify_result(ssl_) == X509_V_OK;
}

bool TlsChannel::PeerNameMatches(const std::string& domain) const {
  X509* cert = SSL_get0_peer_certificate(ssl_);
  return cert != nullptr &&
         X509_check_host(cert, domain.c_str(), domain.size(),
                         X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, nullptr) == 1;
}

}  // namespace xmppfed::edge::tls
