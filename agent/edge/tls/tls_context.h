// The edge's OpenSSL contexts: one server context per certificate of the
// agent (SNI picks the one naming the requested host, else the first) and
// one client context that verifies partners against --ca-file or the
// system store. TLS 1.2 at least; no compression, no renegotiation.
#ifndef XMPPFED_AGENT_EDGE_TLS_TLS_CONTEXT_H_
#define XMPPFED_AGENT_EDGE_TLS_TLS_CONTEXT_H_

#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace xmppfed::edge::tls {

struct Credential {
  std::string cert_file;
  std::string key_file;
};

class TlsContexts {
 public:
  // INVALID_ARGUMENT naming the option (tls-cert, tls-key, ca-file) and the
  // file when one cannot be used.
  static absl::StatusOr<std::unique_ptr<TlsContexts>> Create(
      const std::vector<Credential>& credentials, const std::string& ca_file);
  ~TlsContexts();

  // nullptr without any credential.
  SSL_CTX* server() const {
    return servers_.empty() ? nullptr : servers_.front();
  }
  SSL_CTX* client() const { return client_; }

 private:
  TlsContexts() = default;
  static int OnServerName(SSL* ssl, int* alert, void* arg);

  std::vector<SSL_CTX*> servers_;
  SSL_CTX* client_ = nullptr;
};

}  // namespace xmppfed::edge::tls

#endif  // XMPPFED_AGENT_EDGE_TLS_TLS_CONTEXT_H_
