// The initiating server partner.test of sasl_bench: one inbound S2S stream
// to example.test with STARTTLS and SASL EXTERNAL, from TCP connect to a
// polite close, with blocking sockets and OpenSSL (see sasl_bench.cc for
// the exact sequence).
#ifndef XMPPFED_TESTS_BENCH_SASL_CLIENT_STREAM_H_
#define XMPPFED_TESTS_BENCH_SASL_CLIENT_STREAM_H_

#include <openssl/ssl.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "tests/support/certificates.h"

namespace xmppfed::bench {

inline constexpr char kServerDomain[] = "example.test";
inline constexpr char kPartnerDomain[] = "partner.test";
// A read waiting longer than this fails the stream.
inline constexpr int kIoTimeoutMs = 10000;

// The client side of the benchmark's TLS: partner.test's certificate,
// example.test verified against its CA, no session cache. Throws
// std::runtime_error when the files cannot be used.
class ClientTls {
 public:
  ClientTls(const testing::Certificates& partner, const std::string& server_ca);
  ~ClientTls();
  ClientTls(const ClientTls&) = delete;
  ClientTls& operator=(const ClientTls&) = delete;
  SSL_CTX* ctx() const { return ctx_; }

 private:
  SSL_CTX* ctx_ = nullptr;
};

// One stream of partner.test to the server on 127.0.0.1:port.
class SaslClientStream {
 public:
  SaslClientStream(const ClientTls& tls, uint16_t port)
      : tls_(tls), port_(port) {}
  ~SaslClientStream();
  SaslClientStream(const SaslClientStream&) = delete;
  SaslClientStream& operator=(const SaslClientStream&) = delete;

  // "" when the stream was established (and closed), else what went wrong.
  std::string Run();

 private:
  bool Send(const std::string& text);
  // Reads until the buffer holds one of `texts`; false on EOF, a stream
  // error, a SASL failure or kIoTimeoutMs without data.
  bool ReadUntil(std::initializer_list<std::string_view> texts);
  bool ReadFeatures();

  const ClientTls& tls_;
  uint16_t port_;
  int fd_ = -1;
  SSL* ssl_ = nullptr;
  std::string buffer_;
};

// Establishes `count` streams to 127.0.0.1:`port` from `concurrency`
// threads at once; "" when all were, else the first failure (the others
// then stop).
std::string RunSaslStreams(const ClientTls& tls, uint16_t port, int count,
                           int concurrency);

}  // namespace xmppfed::bench

#endif  // XMPPFED_TESTS_BENCH_SASL_CLIENT_STREAM_H_
