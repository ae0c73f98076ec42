// Hostile peers against one agent (issue 11), in one run: the latency of a
// legitimate stream's setup (connect, header, the agent's header and
// features: everything before authentication, which is what the attacks
// compete for) with no attack, then while each attack runs, and the ratio
// to the quiet figure; plus the agent's CPU per attack byte.
//   idle       400 connections held open, replaced as soon as the agent
//              closes one (a slowloris that reconnects)
//   trickle    the same, each sending a stream header one byte at a time
//   flat       8 senders, each stanza 10,001 empty children (past the cap)
//              sent again on a new connection as soon as it is refused
// Usage: hostile_bench [SETUPS_PER_PHASE]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/bench/agent_site.h"
#include "tests/support/certificates.h"
#include "tests/support/raw_stream.h"
#include "tests/support/temp_dir.h"

namespace xmppfed::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr char kEdge[] = "edge.test";
constexpr char kPeer[] = "peer.test";

int Connect(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address)) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// True while the peer has not closed `fd` (discards what it sent).
bool StillOpen(int fd) {
  char buffer[4096];
  while (true) {
    ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n > 0) continue;
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
}

// An attack running on threads of its own until destroyed; counts the
// bytes it sent.
class Attack {
 public:
  enum class Kind { kIdle, kTrickle, kFlat };
  Attack(Kind kind, uint16_t port) : kind_(kind), port_(port) {
    int threads = kind == Kind::kFlat ? 8 : 1;
    for (int i = 0; i < threads; ++i) {
      threads_.emplace_back([this] { Run(); });
    }
  }
  ~Attack() {
    stop_ = true;
    for (std::thread& thread : threads_) thread.join();
  }
  long bytes() const { return bytes_; }

 private:
  void Send(int fd, const std::string& bytes) {
    ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) bytes_ += n;
  }

  void Run() {
    if (kind_ == Kind::kFlat) {
      std::string stanza =
          testing::ServerStreamHeader(kPeer, kEdge) + "<message>";
      for (int i = 0; i < 10001; ++i) stanza += "<a/>";
      stanza += "</message>";
      while (!stop_) {
        int fd = Connect(port_);
        if (fd < 0) continue;
        Send(fd, stanza);
        while (!stop_ && StillOpen(fd)) {
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        ::close(fd);
      }
      return;
    }
    const std::string header = testing::ServerStreamHeader(kPeer, kEdge);
    std::vector<int> fds;
    std::vector<size_t> sent;
    while (!stop_) {
      for (size_t i = 0; i < fds.size(); ++i) {
        if (StillOpen(fds[i])) continue;
        ::close(fds[i]);
        fds[i] = Connect(port_);
        sent[i] = 0;
      }
      while (fds.size() < 400) {
        fds.push_back(Connect(port_));
        sent.push_back(0);
      }
      if (kind_ == Kind::kTrickle) {
        for (size_t i = 0; i < fds.size(); ++i) {
          if (fds[i] >= 0 && sent[i] < header.size()) {
            Send(fds[i], header.substr(sent[i]++, 1));
          }
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    for (int fd : fds) {
      if (fd >= 0) ::close(fd);
    }
  }

  Kind kind_;
  uint16_t port_;
  std::atomic<bool> stop_{false};
  std::atomic<long> bytes_{0};
  std::vector<std::thread> threads_;
};

// CPU seconds (user + system) of `pid` so far.
double CpuSeconds(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string all((std::istreambuf_iterator<char>(stat)), {});
  std::istringstream fields(all.substr(all.rfind(')') + 2));
  std::string field;
  long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stol(field);
    if (i == 15) stime = std::stol(field);
  }
  return static_cast<double>(utime + stime) / sysconf(_SC_CLK_TCK);
}

struct Figures {
  double p50_ms = 0, p99_ms = 0;
  int failed = 0;
};

// `count` setups one after the other: connect, header, header + features.
Figures MeasureSetups(uint16_t port, int count) {
  std::vector<double> ms;
  Figures figures;
  for (int i = 0; i < count; ++i) {
    Clock::time_point start = Clock::now();
    testing::RawStream stream(port);
    bool ok = stream.connected() &&
              stream.Send(testing::ServerStreamHeader(kPeer, kEdge)) &&
              stream.ReadUntil("</stream:features>", std::chrono::seconds(10));
    double elapsed =
        std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    if (!ok) ++figures.failed;
    ms.push_back(ok ? elapsed : 10000.0);
  }
  std::sort(ms.begin(), ms.end());
  figures.p50_ms = ms[ms.size() / 2];
  figures.p99_ms = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
  return figures;
}

int Main(int setups) {
  testing::TempDir pki("hostile-bench-pki");
  testing::Certificates certificates =
      testing::MakeCertificates(pki.path(), "edge.test CA", {kEdge});
  AgentSite site({{kEdge}, certificates, certificates.ca_cert});
  // Defaults for the budgets under test (the site raises connectionLimit).
  site.Cli({"set-gateway-config", "--connection-limit", "1000",
            "--partner-connection-limit", "20",
            "--unauthenticated-stream-limit", "100",
            "--unauthenticated-streams-per-address", "10"});
  // Dialback over TCP, so the features come at once; never reached.
  site.AddPartner(kPeer, "127.0.0.1:1",
                  {"--tls-negotiation", "NotSupported", "--sasl-negotiation",
                   "NotSupported"});
  uint16_t port = site.s2s_port();
  std::printf("%-8s %9s %9s %7s %7s %12s %14s\n", "phase", "p50_ms", "p99_ms",
              "p99/q", "failed", "attack_KB", "cpu_us/KB");
  Figures quiet = MeasureSetups(port, setups);
  std::printf("%-8s %9.2f %9.2f %7s %7d %12s %14s\n", "quiet", quiet.p50_ms,
              quiet.p99_ms, "1.00", quiet.failed, "-", "-");
  struct Phase {
    const char* name;
    Attack::Kind kind;
  };
  for (Phase phase : {Phase{"idle", Attack::Kind::kIdle},
                      Phase{"trickle", Attack::Kind::kTrickle},
                      Phase{"flat", Attack::Kind::kFlat}}) {
    double cpu_before = CpuSeconds(site.pid());
    long bytes = 0;
    Figures figures;
    {
      Attack attack(phase.kind, port);
      std::this_thread::sleep_for(std::chrono::seconds(1));  // under way
      figures = MeasureSetups(port, setups);
      bytes = attack.bytes();
    }
    double cpu = CpuSeconds(site.pid()) - cpu_before;
    std::printf("%-8s %9.2f %9.2f %7.2f %7d %12.2f %14.2f\n", phase.name,
                figures.p50_ms, figures.p99_ms, figures.p99_ms / quiet.p99_ms,
                figures.failed, bytes / 1e3,
                bytes > 0 ? cpu * 1e6 / (bytes / 1024.0) : 0.0);
  }
  return 0;
}

}  // namespace
}  // namespace xmppfed::bench

int main(int argc, char** argv) {
  int setups = argc > 1 ? std::atoi(argv[1]) : 200;
  try {
    return xmppfed::bench::Main(setups);
  } catch (const xmppfed::bench::BenchFailure& failure) {
    std::fprintf(stderr, "hostile_bench: %s\n", failure.what());
    return 1;
  }
}
