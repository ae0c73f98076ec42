// The TLS floor of an inbound stream setup: what OpenSSL alone costs a
// server for one mutually authenticated connection, measured in this
// process with the agent's own server context (agent/edge/tls: the same
// certificate, trust anchors, chain verdict cache and options) over
// loopback TCP. Per connection the server thread accepts, sets
// TCP_NODELAY, completes a full TLS handshake that asks for and verifies
// the client's certificate (ClientTls: partner.test), reads the chain
// verdict and the peer certificate, reads the client's close_notify, sends
// its own and closes. No XMPP, no event loop, blocking sockets: the least
// any server must spend before an XMPP stream could begin.
//
// The server thread's CPU time (CLOCK_THREAD_CPUTIME_ID) per connection is
// the floor the agent's setup CPU is compared with (relay_bench prints the
// ratio); the clients run on `concurrency` other threads.
#ifndef XMPPFED_TESTS_BENCH_TLS_FLOOR_H_
#define XMPPFED_TESTS_BENCH_TLS_FLOOR_H_

#include <string>

#include "absl/status/statusor.h"
#include "tests/bench/sasl_client_stream.h"
#include "tests/support/certificates.h"

namespace xmppfed::bench {

struct TlsFloor {
  double server_cpu_ms_per_connection = 0;
  double connections_per_s = 0;
  // Parts of it, each timed alone on this thread (the mean of many):
  // the public key operations a TLS 1.3 server does per such connection
  // (an X25519 key pair and shared secret, an ECDSA P-256 signature, the
  // verification of the client's), and parsing the client's certificate
  // as libssl does (d2i_X509: OpenSSL 3 decodes its public key through
  // the provider decoders).
  double key_exchange_and_signatures_ms = 0;
  double client_certificate_parse_ms = 0;
};

// `count` connections from `client` (presenting `client_certificates`) to
// a server presenting `server` and trusting the client's CA. An error
// names the first connection that failed and why (a chain that does not
// verify counts as a failure), or the file that could not be read.
absl::StatusOr<TlsFloor> MeasureTlsFloor(
    const ClientTls& client, const testing::Certificates& client_certificates,
    const testing::Certificates& server, int count, int concurrency);

}  // namespace xmppfed::bench

#endif  // XMPPFED_TESTS_BENCH_TLS_FLOOR_H_
