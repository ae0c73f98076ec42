// The peers and floors of the federation edge benchmark (edge_bench.cc):
// a raw XEP-0114 component client (blocking TCP, no XML library, so that
// the benchmark's own side costs little), a thread counting the stanzas a
// socket receives, per-process CPU time and RSS from /proc, and the
// baselines measured in the same process: TCP connects, OpenSSL TLS
// handshakes and the same stanza bytes pushed over plain TCP and over TLS.
#ifndef XMPPFED_TESTS_BENCH_EDGE_PEERS_H_
#define XMPPFED_TESTS_BENCH_EDGE_PEERS_H_

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "tests/support/process_stats.h"

namespace xmppfed::bench {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start);
// The median of `values` (the mean of the middle two for an even count);
// `values` must not be empty.
double Median(std::vector<double> values);

// A component connection to an agent's component listener on loopback.
class RawComponent {
 public:
  RawComponent() = default;
  ~RawComponent();
  RawComponent(const RawComponent&) = delete;
  RawComponent& operator=(const RawComponent&) = delete;

  // Opens the stream to `domain` and performs the handshake (SHA-1 hex of
  // stream id + secret); false, with error(), when the agent refuses it.
  bool Connect(uint16_t port, const std::string& domain,
               const std::string& secret);
  // Writes all of `bytes` (blocking); false when the connection is gone.
  bool Send(std::string_view bytes);
  int fd() const { return fd_; }
  const std::string& error() const { return error_; }

 private:
  // Reads until the received text contains `text` (5 s at most).
  bool ReadUntil(std::string_view text, std::string* received);

  int fd_ = -1;
  std::string error_;
};

// Counts the `</message>` end tags arriving on `fd` on a thread of its own
// until the peer closes or the counter is destroyed (which shuts the
// socket's read side down). Counting the end tag is exact for the
// benchmark's messages, which all carry a body.
class MessageCounter {
 public:
  explicit MessageCounter(int fd);
  ~MessageCounter();
  uint64_t count() const { return count_.load(std::memory_order_acquire); }
  bool closed() const { return closed_.load(); }
  // Waits until count() >= `target`; false after `timeout` or on close.
  bool WaitFor(uint64_t target, std::chrono::milliseconds timeout) const;

 private:
  void Run();

  int fd_;
  std::atomic<uint64_t> count_{0};
  std::atomic<bool> closed_{false};
  std::thread thread_;
};

// CPU seconds and resident KiB of another process (tests/support).
using testing::CpuSeconds;
using testing::ResidentKib;
// A benchmark's main: runs `main`, and reports an exception it throws
// (BenchFailure or any other) on stderr as "`name`: what", exit code 1.
int RunBench(const char* name, int (*main)(int, char**), int argc, char** argv);

// A process (not this one) whose command line contains `text`; -1 if none.
pid_t FindProcess(const std::string& text);
// Raises this process's soft RLIMIT_NOFILE to its hard limit; children
// (the agents) inherit it. Returns the new soft limit.
long RaiseFileLimit();

// Baselines, each run for about `duration` on loopback in this process.
// TCP connects completed per second (connect, accept, close, EOF seen).
double TcpConnectsPerSecond(std::chrono::milliseconds duration);
// Full TLS handshakes per second with OpenSSL's defaults: the server
// presents `cert`/`key`, the client verifies it against `ca` and checks
// `host`, as the edge's outbound streams do. 0 on a setup error.
double TlsHandshakesPerSecond(const std::string& cert, const std::string& key,
                              const std::string& ca, const std::string& host,
                              std::chrono::milliseconds duration);
// Messages per second when `batch` (whole messages) is written `rounds`
// times over one loopback connection (TLS when `tls` names a certificate
// set, plain TCP when cert is empty) to a reader counting `</message>`.
struct TlsFiles {
  std::string cert, key, ca, host;
};
double StreamMessagesPerSecond(const std::string& batch,
                               uint64_t messages_per_batch, uint64_t rounds,
                               const TlsFiles& tls);

}  // namespace xmppfed::bench

#endif  // XMPPFED_TESTS_BENCH_EDGE_PEERS_H_
