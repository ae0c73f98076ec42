// TLS over one connected, non-blocking socket, driven by the event loop:
// every call returns at once, saying whether it needs the socket readable or
// writable before it can go on.
#ifndef XMPPFED_AGENT_EDGE_TLS_TLS_CHANNEL_H_
#define XMPPFED_AGENT_EDGE_TLS_TLS_CHANNEL_H_

#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace xmppfed::edge::tls {

class TlsChannel {
 public:
  enum class Io { kDone, kWantRead, kWantWrite, kClosed, kError };
  // STARTTLS, or XEP-0368 direct TLS (TLS from the first byte: ALPN
  // "xmpp-server" offered by a client, required-if-offered by a server;
  // agent/edge/tls/alpn.h).
  enum class Mode { kStartTls, kDirect };

  // `ctx_owner` is kept as long as the channel: what `ctx`'s callbacks
  // refer to (its TlsContexts: the SNI switch, the verdict caches), which a
  // reload may otherwise retire while this handshake still runs.
  static absl::StatusOr<std::unique_ptr<TlsChannel>> Server(
      SSL_CTX* ctx, int fd, std::shared_ptr<const void> ctx_owner = nullptr,
      Mode mode = Mode::kStartTls);
  // `server_name` is sent as SNI and is the name PeerNameMatches checks.
  static absl::StatusOr<std::unique_ptr<TlsChannel>> Client(
      SSL_CTX* ctx, int fd, const std::string& server_name,
      std::shared_ptr<const void> ctx_owner = nullptr,
      Mode mode = Mode::kStartTls);
  ~TlsChannel();

  Io Handshake();
  // Appends what can be read now (at most `max_bytes`, and everything
  // OpenSSL already decrypted); kDone when something was read.
  Io Read(std::string* out, size_t max_bytes);
  Io Write(std::string_view data, size_t* written);
  // True when OpenSSL holds received bytes (decrypted or not) that the next
  // Read returns without the socket becoming readable again.
  bool has_pending() const { return SSL_has_pending(ssl_) == 1; }
  Io Shutdown();

  std::string version() const;
  std::string cipher() const;
  std::string requested_server_name() const;
  // The protocol ALPN selected, "" when none was.
  std::string alpn() const;
  bool peer_certificate_present() const;
  // The peer's chain verified against the trust anchors.
  bool peer_chain_trusted() const;
  // DNS-ID match of the peer certificate (no partial wildcards).
  bool PeerNameMatches(const std::string& domain) const;
  // The peer's leaf certificate, owned by the channel; nullptr when none
  // (for the RFC 6125 checks of agent/edge/tls/identity.h).
  X509* peer_certificate() const;
  std::string last_error() const { return last_error_; }

 private:
  TlsChannel(SSL* ssl, std::shared_ptr<const void> ctx_owner)
      : ctx_owner_(std::move(ctx_owner)), ssl_(ssl) {}
  Io Classify(int result);

  // Declared before ssl_: released after SSL_free.
  std::shared_ptr<const void> ctx_owner_;
  SSL* ssl_;
  std::string last_error_;
};

}  // namespace xmppfed::edge::tls

#endif  // XMPPFED_AGENT_EDGE_TLS_TLS_CHANNEL_H_
