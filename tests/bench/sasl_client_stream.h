// The initiating server partner.test of sasl_bench: one inbound S2S stream
// to example.test with STARTTLS and SASL EXTERNAL, from TCP connect to a
// polite close, with blocking sockets and OpenSSL (see sasl_bench.cc for
// the exact sequence). With direct TLS (XEP-0368, direct_tls_bench) the
// TLS handshake (ALPN xmpp-server) comes right after the TCP connection
// and the stream opens over it: the first header, its features and the
// STARTTLS exchange are not needed.
#ifndef XMPPFED_TESTS_BENCH_SASL_CLIENT_STREAM_H_
#define XMPPFED_TESTS_BENCH_SASL_CLIENT_STREAM_H_

#include <openssl/ssl.h>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

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
  SaslClientStream(const ClientTls& tls, uint16_t port, bool direct_tls = false)
      : tls_(tls), port_(port), direct_tls_(direct_tls) {}
  ~SaslClientStream();
  SaslClientStream(const SaslClientStream&) = delete;
  SaslClientStream& operator=(const SaslClientStream&) = delete;

  // "" when the stream was established (and closed), else what went wrong.
  std::string Run();
  // From the TCP connect to the features after SASL (the stream
  // established), of the last Run that succeeded.
  double setup_seconds() const { return setup_seconds_; }

 private:
  bool Send(const std::string& text);
  // Reads until the buffer holds one of `texts`; false on EOF, a stream
  // error, a SASL failure or kIoTimeoutMs without data.
  bool ReadUntil(std::initializer_list<std::string_view> texts);
  bool ReadFeatures();
  // TLS on the connected socket; "" when the handshake succeeded.
  std::string Handshake();

  const ClientTls& tls_;
  uint16_t port_;
  bool direct_tls_;
  double setup_seconds_ = 0;
  int fd_ = -1;
  SSL* ssl_ = nullptr;
  std::string buffer_;
};

// Runs `one` `count` times in all from `concurrency` threads at once; ""
// when every call returned "", else the first failure (the threads then
// stop).
std::string RunConcurrently(int count, int concurrency,
                            const std::function<std::string()>& one);

// Establishes `count` streams to 127.0.0.1:`port` from `concurrency`
// threads at once; "" when all were, else the first failure (the others
// then stop). `setup_seconds`, when given, receives each stream's setup
// time (SaslClientStream::setup_seconds).
std::string RunSaslStreams(const ClientTls& tls, uint16_t port, int count,
                           int concurrency, bool direct_tls = false,
                           std::vector<double>* setup_seconds = nullptr);

}  // namespace xmppfed::bench

#endif  // XMPPFED_TESTS_BENCH_SASL_CLIENT_STREAM_H_
