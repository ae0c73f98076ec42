#include "tests/bench/tls_floor.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "agent/edge/tls/tls_context.h"
#include "tests/support/loopback.h"

namespace xmppfed::bench {
namespace {

std::string OpenSslError() {
  char text[256];
  ERR_error_string_n(ERR_get_error(), text, sizeof text);
  ERR_clear_error();
  return text;
}

double ThreadCpuSeconds() {
  timespec now{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + now.tv_nsec / 1e9;
}

// One server side connection, from accept to close; "" when the client's
// certificate verified and both close_notify alerts passed.
std::string ServeOne(SSL_CTX* ctx, int listener) {
  int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
  if (fd < 0) return absl::StrCat("accept: ", std::strerror(errno));
  testing::SetNoDelay(fd);
  SSL* ssl = SSL_new(ctx);
  std::string failure;
  SSL_set_fd(ssl, fd);
  if (SSL_accept(ssl) != 1) {
    failure = "handshake: " + OpenSslError();
  } else if (SSL_get0_peer_certificate(ssl) == nullptr ||
             SSL_get_verify_result(ssl) != X509_V_OK) {
    failure = "the client's certificate did not verify";
  } else {
    char byte;
    if (SSL_read(ssl, &byte, 1) > 0 ||
        SSL_get_error(ssl, 0) != SSL_ERROR_ZERO_RETURN) {
      failure = "no close_notify from the client";
    } else {
      SSL_shutdown(ssl);
    }
  }
  SSL_free(ssl);
  ::close(fd);
  return failure;
}

// One client connection: handshake as partner.test, close_notify, wait
// for the server's, close.
std::string ConnectOne(const ClientTls& tls, uint16_t port) {
  int fd = testing::ConnectLoopback(port);
  if (fd < 0) return absl::StrCat("connect: ", std::strerror(errno));
  std::string failure;
  SSL* ssl = SSL_new(tls.ctx());
  SSL_set_fd(ssl, fd);
  SSL_set_tlsext_host_name(ssl, kServerDomain);
  SSL_set1_host(ssl, kServerDomain);
  if (SSL_connect(ssl) != 1) {
    failure = "client handshake: " + OpenSslError();
  } else if (SSL_shutdown(ssl) == 0) {
    char byte;
    SSL_read(ssl, &byte, 1);  // the server's close_notify, or EOF
  }
  SSL_free(ssl);
  ::close(fd);
  return failure;
}

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;

constexpr int kPrimitiveRounds = 2000;

// The mean CPU time of `operation` on this thread, in ms; an error when
// one call fails.
template <typename Operation>
absl::StatusOr<double> MeanCpuMs(const char* name, Operation operation) {
  double before = ThreadCpuSeconds();
  for (int i = 0; i < kPrimitiveRounds; ++i) {
    if (!operation()) return absl::InternalError(absl::StrCat(name, " failed"));
  }
  return (ThreadCpuSeconds() - before) / kPrimitiveRounds * 1000;
}

absl::StatusOr<PkeyPtr> ReadKey(const std::string& path) {
  FILE* file = std::fopen(path.c_str(), "r");
  if (file == nullptr) return absl::NotFoundError("cannot read " + path);
  EVP_PKEY* key = PEM_read_PrivateKey(file, nullptr, nullptr, nullptr);
  std::fclose(file);
  if (key == nullptr) return absl::InvalidArgumentError("no key in " + path);
  return PkeyPtr(key, &EVP_PKEY_free);
}

absl::StatusOr<X509Ptr> ReadCertificate(const std::string& path) {
  FILE* file = std::fopen(path.c_str(), "r");
  if (file == nullptr) return absl::NotFoundError("cannot read " + path);
  X509* cert = PEM_read_X509(file, nullptr, nullptr, nullptr);
  std::fclose(file);
  if (cert == nullptr) {
    return absl::InvalidArgumentError("no certificate in " + path);
  }
  return X509Ptr(cert, &X509_free);
}

bool Sign(EVP_PKEY* key, const unsigned char* data, size_t size,
          std::vector<unsigned char>* signature) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(
      EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  size_t length = 0;
  if (EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key) !=
          1 ||
      EVP_DigestSign(context.get(), nullptr, &length, data, size) != 1) {
    return false;
  }
  signature->resize(length);
  if (EVP_DigestSign(context.get(), signature->data(), &length, data, size) !=
      1) {
    return false;
  }
  signature->resize(length);
  return true;
}

bool Verify(EVP_PKEY* key, const unsigned char* data, size_t size,
            const std::vector<unsigned char>& signature) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(
      EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  return EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr,
                              key) == 1 &&
         EVP_DigestVerify(context.get(), signature.data(), signature.size(),
                          data, size) == 1;
}

bool X25519Exchange(EVP_PKEY* peer) {
  PkeyPtr own(EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519"), &EVP_PKEY_free);
  if (own == nullptr) return false;
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> context(
      EVP_PKEY_CTX_new_from_pkey(nullptr, own.get(), nullptr),
      &EVP_PKEY_CTX_free);
  unsigned char secret[32];
  size_t length = sizeof secret;
  return context != nullptr && EVP_PKEY_derive_init(context.get()) == 1 &&
         EVP_PKEY_derive_set_peer(context.get(), peer) == 1 &&
         EVP_PKEY_derive(context.get(), secret, &length) == 1;
}

// TlsFloor's parts, on this thread: the server's public key operations
// per connection and the parse of the client's certificate.
absl::Status MeasureParts(const testing::Certificates& client,
                          const testing::Certificates& server,
                          TlsFloor* floor) {
  absl::StatusOr<PkeyPtr> server_key = ReadKey(server.key);
  absl::StatusOr<PkeyPtr> client_key = ReadKey(client.key);
  absl::StatusOr<X509Ptr> client_cert = ReadCertificate(client.cert);
  if (!server_key.ok()) return server_key.status();
  if (!client_key.ok()) return client_key.status();
  if (!client_cert.ok()) return client_cert.status();
  // What a TLS 1.3 CertificateVerify signs: 64 spaces, a context string,
  // a zero byte and a SHA-256 transcript hash.
  std::vector<unsigned char> signed_content(64 + 34 + 1 + 32, ' ');
  std::vector<unsigned char> client_signature, server_signature;
  if (!Sign(client_key->get(), signed_content.data(), signed_content.size(),
            &client_signature)) {
    return absl::InternalError("cannot sign with " + client.key);
  }
  PkeyPtr peer_share(EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519"),
                     &EVP_PKEY_free);
  EVP_PKEY* client_public = X509_get0_pubkey(client_cert->get());
  absl::StatusOr<double> crypto = MeanCpuMs("key exchange and signatures", [&] {
    return X25519Exchange(peer_share.get()) &&
           Sign(server_key->get(), signed_content.data(), signed_content.size(),
                &server_signature) &&
           Verify(client_public, signed_content.data(), signed_content.size(),
                  client_signature);
  });
  if (!crypto.ok()) return crypto.status();

  unsigned char* der = nullptr;
  int der_size = i2d_X509(client_cert->get(), &der);
  if (der_size <= 0) return absl::InternalError("cannot encode " + client.cert);
  absl::StatusOr<double> parse = MeanCpuMs("d2i_X509", [&] {
    const unsigned char* in = der;
    X509* parsed = d2i_X509(nullptr, &in, der_size);
    bool ok = parsed != nullptr && X509_get0_pubkey(parsed) != nullptr;
    X509_free(parsed);
    return ok;
  });
  OPENSSL_free(der);
  if (!parse.ok()) return parse.status();
  floor->key_exchange_and_signatures_ms = *crypto;
  floor->client_certificate_parse_ms = *parse;
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<TlsFloor> MeasureTlsFloor(
    const ClientTls& client, const testing::Certificates& client_certificates,
    const testing::Certificates& server, int count, int concurrency) {
  absl::StatusOr<std::unique_ptr<edge::tls::TlsContexts>> contexts =
      edge::tls::TlsContexts::Create({{server.cert, server.key}},
                                     client_certificates.ca_cert);
  if (!contexts.ok()) return contexts.status();
  uint16_t port = 0;
  int listener = testing::ListenLoopback(&port);
  if (listener < 0) {
    return absl::InternalError(absl::StrCat("listen: ", std::strerror(errno)));
  }

  std::string server_failure;
  double server_cpu = 0;
  std::chrono::steady_clock::time_point start =
      std::chrono::steady_clock::now();
  std::thread server_thread([&] {
    double before = ThreadCpuSeconds();
    for (int i = 0; i < count && server_failure.empty(); ++i) {
      server_failure = ServeOne((*contexts)->server(), listener);
      if (!server_failure.empty()) {
        server_failure = absl::StrCat("connection ", i, ": ", server_failure);
      }
    }
    server_cpu = ThreadCpuSeconds() - before;
    // Clients still queued would wait for a handshake that never comes:
    // shutting the listener down resets them.
    if (!server_failure.empty()) ::shutdown(listener, SHUT_RDWR);
  });

  std::string client_failure = RunConcurrently(
      count, concurrency, [&] { return ConnectOne(client, port); });
  // A client that failed leaves the server waiting in accept for the
  // connections it did not make; shutting the listener down wakes it.
  if (!client_failure.empty()) ::shutdown(listener, SHUT_RDWR);
  server_thread.join();
  ::close(listener);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  if (!server_failure.empty()) return absl::InternalError(server_failure);
  if (!client_failure.empty()) return absl::InternalError(client_failure);
  TlsFloor floor{server_cpu / count * 1000, count / seconds};
  if (absl::Status parts = MeasureParts(client_certificates, server, &floor);
      !parts.ok()) {
    return parts;
  }
  return floor;
}

}  // namespace xmppfed::bench
