// The two-agent pair against a Prosody 0.12 pair (issue 10), in the same
// run, with the same certificates and the same load:
//   component -> server X -> S2S (TLS, SASL EXTERNAL) -> server Y -> component
// where X serves example.test and Y partner.test. The agents are reached at
// each other's S2S port (proxyFqdn, TLS Required, SASL EXTERNAL Required, no
// dialback, Federated); each Prosody serves its domain as an external
// component (XEP-0114) and finds the other through DNS, with
// s2s_require_encryption and s2s_secure_auth, logging at info. Everything
// runs in a private network namespace this program enters
// (tests/support/namespace.h, needs root): Prosody X on 127.0.0.2 and Y on
// 127.0.0.3, port 5269, named by a DNS server of this program on
// 127.0.0.1:53 (SRV and A) and the namespace's hosts file; the agents on
// 127.0.0.4 and 127.0.0.5.
//
// A run sends --messages messages (about 200 bytes, with a body) from X's
// component to Y's, in batches of 16 with at most --window in flight, once
// through the agents and once through Prosody (the order alternating from
// run to run), and prints messages/s (wall clock), each server's messages
// per CPU-second, and this program's own CPU (the load generator: one
// writer, one counter per receiving component), which must not be the
// limit. Medians and the agent/Prosody ratio come last. Every message must
// arrive: a loss or a stall (120 s) ends the run with status 1.
//
// --prosody-config appends Lua to both Prosodys' global section, e.g.
// 'network_settings = { nagle = false }' (Prosody leaves Nagle's algorithm
// on by default).
//
//   pair_bench [--runs R] [--messages M] [--window W] [--prosody-config LUA]
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/bench/agent_site.h"
#include "tests/bench/edge_peers.h"
#include "tests/support/fake_dns_server.h"
#include "tests/support/namespace.h"
#include "tests/support/ports.h"
#include "tests/support/prosody.h"

namespace xmppfed::bench {
namespace {

using testing::Certificates;
using testing::TempDir;

constexpr char kX[] = "example.test";
constexpr char kY[] = "partner.test";
constexpr uint64_t kBatch = 16;
constexpr std::chrono::seconds kStall(120);

struct Options {
  int runs = 3;
  uint64_t messages = 200000;
  uint64_t window = 4096;
  // Lua appended to both Prosodys' global section.
  std::string prosody_config;
};

double OwnCpuSeconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// One pair of servers with a component connected on each side.
class Route {
 public:
  virtual ~Route() = default;
  virtual const char* name() const = 0;
  virtual pid_t x_pid() const = 0;
  virtual pid_t y_pid() const = 0;
  virtual std::string Logs() const = 0;

  void ConnectComponents(uint16_t x_port, uint16_t y_port) {
    if (!sender_.Connect(x_port, kX, kComponentSecret) ||
        !receiver_.Connect(y_port, kY, kComponentSecret)) {
      Die(std::string(name()) +
          ": a component was refused: " + sender_.error() + receiver_.error());
    }
    arrivals_ = std::make_unique<MessageCounter>(receiver_.fd());
  }

  struct Result {
    double msg_per_s, x_msg_per_cpu_s, y_msg_per_cpu_s, generator_cores;
  };
  Result Relay(uint64_t messages, uint64_t window) {
    std::string batch;
    for (uint64_t i = 0; i < kBatch; ++i) {
      batch += "<message from='alice@" + std::string(kX) + "/desk' to='bob@" +
               kY + "' type='chat' id='m" + std::to_string(i) +
               "'><body>The quick brown fox jumps over the lazy dog; "
               "a benchmark message of some two hundred bytes.</body>"
               "</message>";
    }
    uint64_t base = arrivals_->count();
    double x_cpu = CpuSeconds(x_pid()), y_cpu = CpuSeconds(y_pid());
    double own_cpu = OwnCpuSeconds();
    Clock::time_point start = Clock::now();
    uint64_t sent = 0;
    while (sent < messages) {
      while (sent + kBatch > window &&
             arrivals_->count() - base < sent + kBatch - window) {
        if (arrivals_->closed()) Wait(base + sent);
        std::this_thread::sleep_for(std::chrono::microseconds(50));
      }
      if (!sender_.Send(batch)) Die(std::string(name()) + ": sender closed");
      sent += kBatch;
    }
    Wait(base + sent);
    double seconds = SecondsSince(start);
    double m = static_cast<double>(sent);
    return {m / seconds, m / (CpuSeconds(x_pid()) - x_cpu),
            m / (CpuSeconds(y_pid()) - y_cpu),
            (OwnCpuSeconds() - own_cpu) / seconds};
  }

 private:
  void Wait(uint64_t target) {
    if (arrivals_->WaitFor(target, kStall)) return;
    Die(std::string(name()) + ": " + std::to_string(arrivals_->count()) +
        " messages arrived, " + std::to_string(target) + " expected\n" +
        Logs());
  }

  RawComponent sender_, receiver_;
  std::unique_ptr<MessageCounter> arrivals_;
};

class AgentRoute : public Route {
 public:
  AgentRoute(const Certificates& x, const Certificates& y)
      : x_({{kX}, x, y.ca_cert, "127.0.0.4", 5269}),
        y_({{kY}, y, x.ca_cert, "127.0.0.5", 5269}) {
    x_.AddPartner(kY, y_.s2s_address(), SaslExternalPolicy());
    y_.AddPartner(kX, x_.s2s_address(), SaslExternalPolicy());
    ConnectComponents(x_.component_port(), y_.component_port());
  }
  const char* name() const override { return "agents"; }
  pid_t x_pid() const override { return x_.pid(); }
  pid_t y_pid() const override { return y_.pid(); }
  std::string Logs() const override {
    return "--- agent X log tail:\n" + x_.LogTail() +
           "\n--- agent Y log tail:\n" + y_.LogTail();
  }

 private:
  AgentSite x_, y_;
};

class ProsodyServer {
 public:
  ProsodyServer(const std::string& domain, const std::string& address,
                const Certificates& own, const std::string& trusted_ca,
                const std::string& extra_config)
      : dir_("pair-bench-prosody") {
    testing::ProsodyOptions options;
    options.domain = "users." + domain;
    options.address = address;
    options.certificates = own;
    options.trusted_ca = trusted_ca;
    options.s2s_require_encryption = true;
    options.s2s_secure_auth = true;
    options.components = {{domain, kComponentSecret}};
    options.component_port = testing::ClosedLoopbackPort();
    options.extra_config = "log = { info = \"" + dir_.path() +
                           "/prosody.log\" }\n" + extra_config + "\n";
    prosody_ = std::make_unique<testing::ProsodyProcess>(dir_.path(), options);
    if (::testing::AssertionResult started = prosody_->Start(); !started) {
      Die(std::string("Prosody did not start: ") + started.message());
    }
    pid_ = FindProcess(prosody_->config_path());
    if (pid_ <= 0) Die("no process runs " + prosody_->config_path());
  }
  ~ProsodyServer() { prosody_->Stop(); }
  pid_t pid() const { return pid_; }
  uint16_t component_port() const { return prosody_->options().component_port; }
  std::string LogTail() const {
    std::string log = prosody_->Log();
    return log.size() > 3000 ? log.substr(log.size() - 3000) : log;
  }

 private:
  TempDir dir_;
  std::unique_ptr<testing::ProsodyProcess> prosody_;
  pid_t pid_ = -1;
};

class ProsodyRoute : public Route {
 public:
  ProsodyRoute(const Certificates& x, const Certificates& y,
               const std::string& config)
      : x_(kX, "127.0.0.2", x, y.ca_cert, config),
        y_(kY, "127.0.0.3", y, x.ca_cert, config) {
    ConnectComponents(x_.component_port(), y_.component_port());
  }
  const char* name() const override { return "Prosody"; }
  pid_t x_pid() const override { return x_.pid(); }
  pid_t y_pid() const override { return y_.pid(); }
  std::string Logs() const override {
    return "--- Prosody X log tail:\n" + x_.LogTail() +
           "\n--- Prosody Y log tail:\n" + y_.LogTail();
  }

 private:
  ProsodyServer x_, y_;
};

Options Parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--prosody-config") {
      options.prosody_config = argv[i + 1];
      continue;
    }
    long value = std::atol(argv[i + 1]);
    if (value <= 0) Die("bad value for " + flag);
    if (flag == "--runs") {
      options.runs = static_cast<int>(value);
    } else if (flag == "--messages") {
      options.messages = static_cast<uint64_t>(value);
    } else if (flag == "--window") {
      options.window = static_cast<uint64_t>(value);
    } else {
      Die("unknown option " + flag);
    }
  }
  if (argc % 2 == 0 || options.messages < kBatch || options.window < kBatch) {
    Die("usage: pair_bench [--runs R] [--messages M] [--window W] "
        "[--prosody-config LUA]");
  }
  return options;
}

int Main(int argc, char** argv) {
  Options options = Parse(argc, argv);
  if (testing::ProsodyProcess::Binary().empty()) {
    Die("Prosody is not installed (Debian package prosody)");
  }
  RaiseFileLimit();
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  TempDir network_dir("pair-bench-netns");
  testing::PrivateNetworkOptions network;
  network.hosts = {{"127.0.0.2", kX}, {"127.0.0.3", kY}};
  if (std::string why =
          testing::EnterPrivateNetwork(network_dir.path(), network);
      !why.empty()) {
    Die("no private network namespace: " + why);
  }
  testing::FakeDnsServer dns(53);
  if (!dns.ok()) Die("cannot serve DNS on 127.0.0.1:53 in the namespace");
  for (auto [domain, address] :
       {std::pair{kX, "127.0.0.2"}, std::pair{kY, "127.0.0.3"}}) {
    dns.AddSrv(std::string("_xmpp-server._tcp.") + domain, 0, 0, 5269, domain);
    dns.AddA(domain, address);
  }
  TempDir pki("pair-bench-pki");
  Certificates x =
      testing::MakeCertificates(pki.path(), std::string(kX) + " CA", {kX});
  Certificates y =
      testing::MakeCertificates(pki.path(), std::string(kY) + " CA", {kY});
  AgentRoute agents(x, y);
  ProsodyRoute prosody(x, y, options.prosody_config);
  std::printf(
      "component -> X -> S2S (TLS, SASL EXTERNAL) -> Y -> component, %llu "
      "messages per run, at most %llu in flight, %d run(s)\n",
      static_cast<unsigned long long>(options.messages),
      static_cast<unsigned long long>(options.window), options.runs);
  for (Route* route : std::vector<Route*>{&agents, &prosody}) {
    route->Relay(1024, options.window);  // the S2S stream up first
  }
  std::vector<double> agent_rate, prosody_rate, ratio;
  for (int run = 1; run <= options.runs; ++run) {
    std::vector<Route*> order = {&agents, &prosody};
    if (run % 2 == 0) std::reverse(order.begin(), order.end());
    Route::Result results[2];
    for (Route* route : order) {
      Route::Result r = route->Relay(options.messages, options.window);
      results[route == &agents ? 0 : 1] = r;
      std::printf(
          "run %d %-7s %8.0f msg/s; X %.0f msg/CPU-s, Y %.0f msg/CPU-s; "
          "load generator %.2f cores\n",
          run, route->name(), r.msg_per_s, r.x_msg_per_cpu_s, r.y_msg_per_cpu_s,
          r.generator_cores);
    }
    agent_rate.push_back(results[0].msg_per_s);
    prosody_rate.push_back(results[1].msg_per_s);
    ratio.push_back(results[0].msg_per_s / results[1].msg_per_s);
  }
  std::printf(
      "median: agents %.0f msg/s, Prosody %.0f msg/s: agents/Prosody %.2fx "
      "(target >= 5x)\n",
      Median(agent_rate), Median(prosody_rate), Median(ratio));
  return 0;
}

}  // namespace
}  // namespace xmppfed::bench

int main(int argc, char** argv) {
  return xmppfed::bench::RunBench("pair_bench", xmppfed::bench::Main, argc,
                                  argv);
}
