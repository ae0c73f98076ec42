#include "agent/edge/tls/tls_context.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "agent/edge/tls/alpn.h"
#include "agent/edge/tls/identity.h"

namespace xmppfed::edge::tls {
namespace {

std::string OpenSslError() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown error";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

// Forward-secret AEAD suites for TLS 1.2 (TLS 1.3 keeps OpenSSL's own).
constexpr char kTls12Ciphers[] = "ECDHE+AESGCM:ECDHE+CHACHA20";

void Harden(SSL_CTX* ctx) {
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_cipher_list(ctx, kTls12Ciphers);
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                               SSL_OP_CIPHER_SERVER_PREFERENCE |
                               SSL_OP_NO_TICKET);
  // No resumption: no session cache, no TLS 1.3 tickets. A peer offering a
  // session then gets a full handshake (with the cache on and SSL_VERIFY_PEER
  // but no session id context, OpenSSL would abort the handshake instead).
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_num_tickets(ctx, 0);
  SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
                            SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                            SSL_MODE_RELEASE_BUFFERS);
  // Whole socket reads rather than two per record (header, then body);
  // what is read ahead waits in TLS, which TlsChannel::has_pending tells.
  SSL_CTX_set_read_ahead(ctx, 1);
}

// Every chain is accepted during the handshake; the verdict is kept
// (SSL_get_verify_result) for the session to judge by the partner's policy.
int AcceptAndRecord(int, X509_STORE_CTX*) { return 1; }

absl::Status LoadTrust(SSL_CTX* ctx, const std::string& ca_file) {
  int loaded = ca_file.empty() ? SSL_CTX_set_default_verify_paths(ctx)
                               : SSL_CTX_load_verify_locations(
                                     ctx, ca_file.c_str(), nullptr);
  if (loaded != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("ca-file=", ca_file, ": cannot load: ", OpenSslError()));
  }
  return absl::OkStatus();
}

absl::Status KeyMismatch(const Credential& credential) {
  ERR_clear_error();
  return absl::InvalidArgumentError(
      absl::StrCat("tls-key=", credential.key_file,
                   ": does not match tls-cert=", credential.cert_file));
}

absl::Status LoadCredential(SSL_CTX* ctx, const Credential& credential) {
  if (SSL_CTX_use_certificate_chain_file(ctx, credential.cert_file.c_str()) !=
      1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "tls-cert=", credential.cert_file, ": cannot load: ", OpenSslError()));
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, credential.key_file.c_str(),
                                  SSL_FILETYPE_PEM) != 1) {
    // OpenSSL checks the key against the certificate while loading it.
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH) {
      return KeyMismatch(credential);
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "tls-key=", credential.key_file, ": cannot load: ", OpenSslError()));
  }
  if (SSL_CTX_check_private_key(ctx) != 1) return KeyMismatch(credential);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<TlsContexts>> TlsContexts::Create(
    const std::vector<Credential>& credentials, const std::string& ca_file) {
  std::unique_ptr<TlsContexts> contexts(new TlsContexts());
  for (const Credential& credential : credentials) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    if (ctx == nullptr) return absl::InternalError(OpenSslError());
    contexts->servers_.push_back(ctx);
    Harden(ctx);
    if (absl::Status loaded = LoadCredential(ctx, credential); !loaded.ok()) {
      return loaded;
    }
    if (absl::Status trust = LoadTrust(ctx, ca_file); !trust.ok()) {
      return trust;
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, AcceptAndRecord);
    SSL_CTX_set_cert_verify_callback(ctx, &VerificationCache::Verify,
                                     &contexts->client_chain_verdicts_);
    // On each context: SNI may switch a connection to any of them before
    // ALPN is decided.
    SSL_CTX_set_alpn_select_cb(ctx, &AlpnSelect, nullptr);
  }
  if (!contexts->servers_.empty()) {
    SSL_CTX_set_tlsext_servername_callback(contexts->servers_.front(),
                                           &TlsContexts::SelectCredential);
    SSL_CTX_set_tlsext_servername_arg(contexts->servers_.front(),
                                      contexts.get());
  }
  // One client context per credential (or one without any).
  for (size_t i = 0; i < std::max<size_t>(1, credentials.size()); ++i) {
    SSL_CTX* client = SSL_CTX_new(TLS_client_method());
    if (client == nullptr) return absl::InternalError(OpenSslError());
    contexts->clients_.push_back(client);
    Harden(client);
    if (absl::Status trust = LoadTrust(client, ca_file); !trust.ok()) {
      return trust;
    }
    SSL_CTX_set_verify(client, SSL_VERIFY_PEER, AcceptAndRecord);
    SSL_CTX_set_cert_verify_callback(client, &VerificationCache::Verify,
                                     &contexts->server_chain_verdicts_);
    if (i < credentials.size()) {
      if (absl::Status loaded = LoadCredential(client, credentials[i]);
          !loaded.ok()) {
        return loaded;
      }
    }
  }
  contexts->client_ = contexts->clients_.front();
  return contexts;
}

TlsContexts::~TlsContexts() {
  for (SSL_CTX* ctx : servers_) SSL_CTX_free(ctx);
  for (SSL_CTX* ctx : clients_) SSL_CTX_free(ctx);
}

SSL_CTX* TlsContexts::client_for(const std::string& local_domain) const {
  for (SSL_CTX* ctx : clients_) {
    if (MatchXmppServerIdentity(SSL_CTX_get0_certificate(ctx), local_domain) !=
        IdentityMatch::kNone) {
      return ctx;
    }
  }
  return client_;
}

std::string TlsContexts::Describe() const {
  std::string text;
  for (SSL_CTX* ctx : servers_) {
    X509* cert = SSL_CTX_get0_certificate(ctx);
    if (cert == nullptr) continue;
    char subject[256];
    X509_NAME_oneline(X509_get_subject_name(cert), subject, sizeof subject);
    std::string serial = "?";
    if (BIGNUM* number =
            ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr)) {
      if (char* hex = BN_bn2hex(number)) {
        serial = hex;
        OPENSSL_free(hex);
      }
      BN_free(number);
    }
    std::string not_after = "?";
    if (BIO* out = BIO_new(BIO_s_mem())) {
      if (ASN1_TIME_print(out, X509_get0_notAfter(cert)) == 1) {
        char* data = nullptr;
        long length = BIO_get_mem_data(out, &data);
        not_after.assign(data, static_cast<size_t>(length));
      }
      BIO_free(out);
    }
    if (!text.empty()) text += "; ";
    absl::StrAppend(&text, "subject=", subject, " serial=", serial,
                    " notAfter=", not_after);
  }
  return text.empty() ? "none" : text;
}

int TlsContexts::SelectCredential(SSL* ssl, int*, void* arg) {
  auto* self = static_cast<TlsContexts*>(arg);
  const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  if (name == nullptr) return SSL_TLSEXT_ERR_OK;
  for (SSL_CTX* ctx : self->servers_) {
    X509* cert = SSL_CTX_get0_certificate(ctx);
    if (cert != nullptr &&
        X509_check_host(cert, name, 0, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS,
                        nullptr) == 1) {
      SSL_set_SSL_CTX(ssl, ctx);
      return SSL_TLSEXT_ERR_OK;
    }
  }
  return SSL_TLSEXT_ERR_OK;
}

}  // namespace xmppfed::edge::tls
