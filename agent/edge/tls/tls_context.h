// The edge's OpenSSL contexts, built once from the agent's --tls-cert /
// --tls-key pairs and --ca-file:
//   * server: one SSL_CTX per credential; SNI switches a connection to the
//     credential whose certificate names the requested host, else it keeps
//     the first. It asks every client for a certificate without requiring
//     one, and accepts any chain during the handshake: the verdict is kept
//     (TlsChannel::peer_chain_trusted) for the session to judge by the
//     partner's policy (SASL EXTERNAL, dialback). A direct TLS connection
//     (XEP-0368) selects ALPN "xmpp-server" and refuses other protocols
//     (alpn.h); the same contexts serve STARTTLS and direct TLS.
//   * client: verifies servers against the trust anchors the same way
//     (handshake completes, verdict kept) and presents a credential as its
//     client certificate -- the SASL EXTERNAL credential (XEP-0178) -- one
//     SSL_CTX per credential, so a stream from a local domain presents the
//     certificate valid for that domain (client_for).
// A reload (Edge::ReloadCredentials) builds new TlsContexts rather than
// changing these: their verdict caches start empty, so no verdict made
// against the old trust anchors outlives them.
// Both: chain verdicts remembered per role (verification_cache.h), TLS 1.2
// at least, forward-secret AEAD ciphers for TLS 1.2 (OpenSSL's
// TLS 1.3 defaults), no compression, no renegotiation, no session
// resumption (every stream's peer is verified afresh), and no read or write
// buffer held between records (SSL_MODE_RELEASE_BUFFERS: idle streams are
// many).
#ifndef XMPPFED_AGENT_EDGE_TLS_TLS_CONTEXT_H_
#define XMPPFED_AGENT_EDGE_TLS_TLS_CONTEXT_H_

#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "agent/edge/tls/verification_cache.h"

namespace xmppfed::edge::tls {

// PEM files: a certificate chain (leaf first) and its private key.
struct Credential {
  std::string cert_file;
  std::string key_file;
};

class TlsContexts {
 public:
  // `ca_file`: PEM trust anchors for peers' certificates; "" uses the system
  // store. INVALID_ARGUMENT naming the option (tls-cert, tls-key, ca-file)
  // and the file when one cannot be read or a key does not match its
  // certificate.
  static absl::StatusOr<std::unique_ptr<TlsContexts>> Create(
      const std::vector<Credential>& credentials, const std::string& ca_file);
  ~TlsContexts();
  TlsContexts(const TlsContexts&) = delete;
  TlsContexts& operator=(const TlsContexts&) = delete;

  // For accepted streams; nullptr without any credential (no STARTTLS).
  SSL_CTX* server() const {
    return servers_.empty() ? nullptr : servers_.front();
  }
  // For outgoing streams; never nullptr. Presents the first credential.
  SSL_CTX* client() const { return client_; }
  // For outgoing streams from `local_domain`: presents the first credential
  // whose certificate is valid for it (RFC 6125, agent/edge/tls/identity.h),
  // else as client(). Never nullptr.
  SSL_CTX* client_for(const std::string& local_domain) const;

  // The served certificates for the log, in order, "; "-separated:
  // "subject=/CN=example.test serial=1A2B notAfter=Jan  1 00:00:00 2030 GMT";
  // "none" without any.
  std::string Describe() const;

  // Verdicts on clients' chains (server contexts) and servers' chains
  // (client contexts): the purpose checked differs, so they are kept apart.
  const VerificationCache& client_chain_verdicts() const {
    return client_chain_verdicts_;
  }
  const VerificationCache& server_chain_verdicts() const {
    return server_chain_verdicts_;
  }

 private:
  TlsContexts() = default;
  // SSL_CTX servername callback, registered on the first server context.
  static int SelectCredential(SSL* ssl, int* alert, void* contexts);

  VerificationCache client_chain_verdicts_;
  VerificationCache server_chain_verdicts_;
  std::vector<SSL_CTX*> servers_;  // one per credential, in the given order
  SSL_CTX* client_ = nullptr;
  // One per credential, in the given order (the first is client_).
  std::vector<SSL_CTX*> clients_;
};

}  // namespace xmppfed::edge::tls

#endif  // XMPPFED_AGENT_EDGE_TLS_TLS_CONTEXT_H_
