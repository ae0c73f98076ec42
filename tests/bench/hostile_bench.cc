// Hostile peers against one agent (issue 11), in one run: while each attack
// runs, a legitimate partner (a second agent, TLS + SASL EXTERNAL) keeps
// relaying messages to the agent's gateway over its established stream,
// and a legitimate stream keeps being set up (connect, header, the agent's
// header and features: everything before authentication, which is what the
// attacks compete for). Prints, per phase, the setup latency (p50, p99),
// the relay rate, each against the quiet phase measured first in the same
// run, and the agent's CPU per KiB the attack sent. The attacks
// (hostile_attacks.h): idle, trickle, claim, flat, partial, dialback flood,
// component port; and "fds": 400 idle connections while the agent's
// descriptor limit is lowered to 150 over what it holds.
// Usage: hostile_bench [SETUPS_PER_PHASE=200] [MESSAGES_PER_PHASE=20000]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/bench/agent_site.h"
#include "tests/bench/edge_peers.h"
#include "tests/bench/hostile_attacks.h"
#include "tests/support/certificates.h"
#include "tests/support/raw_stream.h"
#include "tests/support/temp_dir.h"

namespace xmppfed::bench {
namespace {

constexpr char kEdge[] = "edge.test";
constexpr char kPeer[] = "peer.test";

struct Figures {
  double p50_ms = 0, p99_ms = 0;
  int failed = 0;
  double messages_per_second = 0;
};

// `count` setups one after the other: connect, header, header + features.
void MeasureSetups(uint16_t port, int count, Figures* figures) {
  std::vector<double> ms;
  for (int i = 0; i < count; ++i) {
    Clock::time_point start = Clock::now();
    testing::RawStream stream(port);
    bool ok = stream.connected() &&
              stream.Send(testing::ServerStreamHeader(kPeer, kEdge)) &&
              stream.ReadUntil("</stream:features>", std::chrono::seconds(10));
    double elapsed =
        std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    if (!ok) ++figures->failed;
    ms.push_back(ok ? elapsed : 10000.0);
  }
  std::sort(ms.begin(), ms.end());
  figures->p50_ms = ms[ms.size() / 2];
  figures->p99_ms = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
}

// The legitimate partner: peer.test's agent with its gateway, federated
// with the agent under attack, whose gateway counts what arrives.
class Partner {
 public:
  Partner(const AgentSite& edge, const AgentSite& peer) {
    if (!edge_gateway_.Connect(edge.component_port(), kEdge,
                               kComponentSecret) ||
        !peer_gateway_.Connect(peer.component_port(), kPeer,
                               kComponentSecret)) {
      Die("gateway: " + edge_gateway_.error() + peer_gateway_.error());
    }
    arrivals_ = std::make_unique<MessageCounter>(edge_gateway_.fd());
    for (int i = 0; i < 100; ++i) {
      batch_ +=
          "<message from='alice@peer.test/desk' to='bob@edge.test' "
          "type='chat'><body>A message from a partner that keeps "
          "talking while the edge is under attack.</body></message>";
    }
    Relay(1000);  // the S2S stream is up before the first phase
  }

  // Messages per second for `messages` relayed peer -> edge (0: stalled).
  double Relay(uint64_t messages) {
    uint64_t base = arrivals_->count();
    Clock::time_point start = Clock::now();
    for (uint64_t sent = 0; sent < messages; sent += 100) {
      if (!peer_gateway_.Send(batch_)) Die("the partner's gateway closed");
    }
    if (!arrivals_->WaitFor(base + messages, std::chrono::seconds(60))) {
      return 0;
    }
    return static_cast<double>(messages) / SecondsSince(start);
  }

 private:
  RawComponent edge_gateway_, peer_gateway_;
  std::unique_ptr<MessageCounter> arrivals_;
  std::string batch_;
};

// Setups and relay at once, as a partner would do both.
Figures Measure(uint16_t port, int setups, Partner& partner,
                uint64_t messages) {
  Figures figures;
  std::thread setup_thread([&] { MeasureSetups(port, setups, &figures); });
  figures.messages_per_second = partner.Relay(messages);
  setup_thread.join();
  return figures;
}

int Main(int argc, char** argv) {
  int setups = argc > 1 ? std::atoi(argv[1]) : 200;
  uint64_t messages = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 20000;
  RaiseFileLimit();
  testing::TempDir pki("hostile-bench-pki");
  testing::Certificates edge_pki =
      testing::MakeCertificates(pki.path(), "edge.test CA", {kEdge});
  testing::Certificates peer_pki =
      testing::MakeCertificates(pki.path(), "peer.test CA", {kPeer});
  AgentSite edge({{kEdge}, edge_pki, peer_pki.ca_cert});
  AgentSite peer({{kPeer}, peer_pki, edge_pki.ca_cert});
  // The defaults for the budgets under test (the site raises
  // connectionLimit).
  edge.Cli({"set-gateway-config", "--connection-limit", "1000",
            "--partner-connection-limit", "20",
            "--unauthenticated-stream-limit", "100",
            "--unauthenticated-streams-per-address", "10",
            "--component-connection-limit", "100"});
  // TLS and SASL optional with dialback, so the attacker may send
  // <db:result/> over plain TCP; the real partner uses TLS + SASL.
  const std::vector<std::string> policy = {"--tls-negotiation",
                                           "Optional",
                                           "--sasl-negotiation",
                                           "Optional",
                                           "--support-dialback-negotiation",
                                           "true"};
  edge.AddPartner(kPeer, peer.s2s_address(), policy);
  peer.AddPartner(kEdge, edge.s2s_address(), policy);
  Partner partner(edge, peer);
  uint16_t port = edge.s2s_port();

  std::printf("%-9s %8s %8s %7s %6s %10s %7s %10s %10s\n", "phase", "p50_ms",
              "p99_ms", "p99/q", "failed", "msg/s", "msg/q", "attack_KB",
              "cpu_us/KB");
  Figures quiet = Measure(port, setups, partner, messages);
  std::printf("%-9s %8.2f %8.2f %7s %6d %10.0f %7s %10s %10s\n", "quiet",
              quiet.p50_ms, quiet.p99_ms, "1.00", quiet.failed,
              quiet.messages_per_second, "1.00", "-", "-");
  using Kind = HostileAttack::Kind;
  struct Phase {
    const char* name;
    Kind kind;
    bool few_descriptors = false;
  };
  for (Phase phase :
       {Phase{"idle", Kind::kIdle}, Phase{"trickle", Kind::kTrickle},
        Phase{"claim", Kind::kClaim}, Phase{"flat", Kind::kFlat},
        Phase{"partial", Kind::kPartial},
        Phase{"dialback", Kind::kDialbackFlood},
        Phase{"component", Kind::kComponent},
        Phase{"fds", Kind::kIdle, true}}) {
    rlimit saved{};
    ::prlimit(edge.pid(), RLIMIT_NOFILE, nullptr, &saved);
    if (phase.few_descriptors) {
      size_t held = 0;
      for ([[maybe_unused]] const auto& entry :
           std::filesystem::directory_iterator(
               "/proc/" + std::to_string(edge.pid()) + "/fd")) {
        ++held;
      }
      rlimit low{static_cast<rlim_t>(held + 150), saved.rlim_max};
      ::prlimit(edge.pid(), RLIMIT_NOFILE, &low, nullptr);
    }
    double cpu_before = CpuSeconds(edge.pid());
    long bytes = 0;
    Figures figures;
    {
      HostileAttack attack(phase.kind, port, edge.component_port(), kPeer,
                           kEdge);
      std::this_thread::sleep_for(std::chrono::seconds(1));  // under way
      figures = Measure(port, setups, partner, messages);
      bytes = attack.bytes();
    }
    double cpu = CpuSeconds(edge.pid()) - cpu_before;
    if (phase.few_descriptors) {
      ::prlimit(edge.pid(), RLIMIT_NOFILE, &saved, nullptr);
    }
    // CPU per KiB only where the attack sends much (idle ones send nothing).
    char cpu_per_kib[32] = "-";
    if (bytes >= 64 * 1024) {
      std::snprintf(cpu_per_kib, sizeof cpu_per_kib, "%.2f",
                    cpu * 1e6 / (static_cast<double>(bytes) / 1024));
    }
    std::printf("%-9s %8.2f %8.2f %7.2f %6d %10.0f %7.2f %10.1f %10.10s\n",
                phase.name, figures.p50_ms, figures.p99_ms,
                figures.p99_ms / quiet.p99_ms, figures.failed,
                figures.messages_per_second,
                figures.messages_per_second / quiet.messages_per_second,
                static_cast<double>(bytes) / 1e3, cpu_per_kib);
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace
}  // namespace xmppfed::bench

int main(int argc, char** argv) {
  return xmppfed::bench::RunBench("hostile_bench", xmppfed::bench::Main, argc,
                                  argv);
}
