// Inbound S2S streams per second with STARTTLS + SASL EXTERNAL: xmppfed-agent
// side by side with Prosody (0.12, the Debian package), the same workload,
// the same machine, the same run (sasl_bench.sh runs it).
//
// Both servers serve example.test with the same certificate (P-256, from a
// CA of this run made with openssl) and trust the CA of partner.test; both
// require TLS and authenticated peers (agent: partner row TLS Required, SASL
// Required, no dialback, Federated; Prosody: s2s_require_encryption and
// s2s_secure_auth, log level info). Each listens on its own 127.0.0.1 port.
//
// This program plays the initiating server partner.test. One stream is, in
// order, with blocking sockets and OpenSSL:
//   TCP connect; <stream:stream> (jabber:server, from='partner.test'
//   to='example.test' version='1.0'); read the features; <starttls/>; read
//   <proceed/>; a full TLS handshake (no session resumption) presenting the
//   client certificate of partner.test and verifying example.test; a new
//   stream header; read the features, which must offer the mechanism
//   EXTERNAL; <auth mechanism='EXTERNAL'>BASE64(partner.test)</auth>; read
//   <success/>; a new stream header; read the final features: the stream
//   is established. Then it is closed politely: </stream:stream>, wait for
//   the server's </stream:stream> (or EOF), TLS close_notify, close.
// A stream thus measures the whole life of an authenticated inbound stream,
// teardown included; no stream stays open. --concurrency threads each run
// streams one after the other until --streams have been done in a round.
//
// A run is one round against the agent and one against Prosody, in
// alternating order from run to run so that the machine's noise hits both.
// Per round: streams/s (wall clock), and the server's CPU seconds (utime +
// stime from /proc/PID/stat) per 1000 streams, which is the fairer figure
// on a small loaded machine where this driver shares the cores. Printed per
// run and as medians: agent/Prosody ratios of streams/s (higher is better
// for the agent) and of CPU per stream (lower is better for the agent).
// Every stream must get <success/> from the server: a failure ends the
// program with status 1 and the server's log tail. At the end it counts
// each server's own log line for a peer authenticated by SASL EXTERNAL.
//
// --warmup streams go to each server first, unmeasured. --prosody-config
// appends Lua to Prosody's global section: Prosody keeps Nagle's algorithm
// on by default, which halves its wall-clock rate here (not its CPU per
// stream); 'network_settings = { nagle = false }' shows it without.
//
//   sasl_bench [--runs R] [--streams N] [--concurrency C] [--warmup W]
//              [--prosody-config LUA]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "tests/bench/edge_peers.h"
#include "tests/bench/sasl_client_stream.h"
#include "tests/support/agent_process.h"
#include "tests/support/certificates.h"
#include "tests/support/cli.h"
#include "tests/support/json.h"
#include "tests/support/ports.h"
#include "tests/support/prosody.h"
#include "tests/support/temp_dir.h"

namespace xmppfed::bench {
namespace {

using testing::AgentProcess;
using testing::Certificates;
using testing::CliResult;
using testing::JsonValue;
using testing::ProsodyOptions;
using testing::ProsodyProcess;
using testing::TempDir;

// What each server logs (info) for a peer it authenticates by SASL EXTERNAL.
constexpr char kAgentExternalLine[] = "auth=SaslExternal";
constexpr char kProsodyExternalLine[] = "Accepting SASL EXTERNAL identity from";

struct Options {
  int runs = 3;
  int streams = 500;
  int concurrency = 4;
  int warmup = 20;
  // Lua appended to Prosody's global section, e.g. its network_settings.
  std::string prosody_config;
};

// Ends the run: main() prints it after the servers and their directories
// are gone (the exception unwinds Main()).
[[noreturn]] void Die(const std::string& why) { throw std::runtime_error(why); }

std::string Tail(const std::string& log, size_t size = 4000) {
  return log.size() > size ? log.substr(log.size() - size) : log;
}

size_t Count(const std::string& text, std::string_view what) {
  size_t count = 0;
  for (size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + what.size())) {
    ++count;
  }
  return count;
}

// A server under test.
class Server {
 public:
  virtual ~Server() = default;
  virtual const char* name() const = 0;
  virtual pid_t pid() const = 0;
  virtual uint16_t port() const = 0;
  virtual std::string LogTail() const = 0;
};

class AgentServer : public Server {
 public:
  AgentServer(const Certificates& server, const std::string& partner_ca)
      : dir_("sasl-bench-agent"), agent_(dir_.path()) {
    agent_.ReplaceArgs({"--socket", agent_.socket_path(), "--store",
                        agent_.store_uri(), "--domain", kServerDomain,
                        "--tls-cert", server.cert, "--tls-key", server.key,
                        "--ca-file", partner_ca, "--s2s-listen", "127.0.0.1:0",
                        "--component-listen", "off"});
    if (::testing::AssertionResult started = agent_.Start(); !started) {
      Die(std::string("the agent did not start: ") + started.message());
    }
    JsonValue info;
    if (!testing::ParseJson(Cli({"get-agent", "-o", "json"}), &info)) {
      Die("get-agent printed no JSON");
    }
    for (const JsonValue& listener :
         testing::Elements(*testing::Member(info, "listeners"))) {
      if (testing::Str(listener, "name") != "s2s") continue;
      std::string address = testing::Str(listener, "address");
      port_ = static_cast<uint16_t>(
          std::stoi(address.substr(address.rfind(':') + 1)));
    }
    if (port_ == 0) Die("the agent reports no s2s listener");
    Cli({"set-gateway-config", "--connection-limit", "100000",
         "--partner-connection-limit", "100000"});
    Cli({"new-partner", kPartnerDomain, "--tls-negotiation", "Required",
         "--sasl-negotiation", "Required", "--support-dialback-negotiation",
         "false", "--partner-type", "Federated", "--quiet"});
  }
  ~AgentServer() override { agent_.Terminate(); }

  std::string Cli(const std::vector<std::string>& args) const {
    CliResult result = testing::RunCli(args, agent_.socket_path());
    if (result.exit_code != 0) {
      Die("xmppfed " + args.front() + " failed: " + result.err);
    }
    return result.out;
  }
  const char* name() const override { return "agent"; }
  pid_t pid() const override { return agent_.pid(); }
  uint16_t port() const override { return port_; }
  std::string LogTail() const override { return Tail(agent_.Log()); }
  std::string Log() const { return agent_.Log(); }

 private:
  TempDir dir_;
  AgentProcess agent_;
  uint16_t port_ = 0;
};

class ProsodyServer : public Server {
 public:
  ProsodyServer(const Certificates& server, const std::string& partner_ca,
                const std::string& extra_config)
      : dir_("sasl-bench-prosody") {
    ProsodyOptions options;
    options.domain = kServerDomain;
    options.address = "127.0.0.1";
    options.s2s_port = testing::ClosedLoopbackPort();
    options.c2s_port = testing::ClosedLoopbackPort();
    options.certificates = server;
    options.trusted_ca = partner_ca;
    options.s2s_require_encryption = true;
    options.s2s_secure_auth = true;
    // The harness logs at debug level; a benchmark logs as a production
    // server would (the agent logs at its default level too).
    options.extra_config = "log = { info = \"" + dir_.path() +
                           "/prosody.log\" }\n" + extra_config + "\n";
    prosody_ = std::make_unique<ProsodyProcess>(dir_.path(), options);
    if (::testing::AssertionResult started = prosody_->Start(); !started) {
      Die(std::string("Prosody did not start: ") + started.message());
    }
    // ProsodyProcess keeps its pid to itself: find the process whose
    // command line names this configuration file.
    pid_ = FindProcess(prosody_->config_path());
    if (pid_ <= 0) Die("no process runs " + prosody_->config_path());
  }
  ~ProsodyServer() override { prosody_->Stop(); }

  const char* name() const override { return "Prosody"; }
  pid_t pid() const override { return pid_; }
  uint16_t port() const override { return prosody_->options().s2s_port; }
  std::string LogTail() const override { return Tail(prosody_->Log()); }
  std::string Log() const { return prosody_->Log(); }

 private:
  TempDir dir_;
  std::unique_ptr<ProsodyProcess> prosody_;
  pid_t pid_ = -1;
};

struct Round {
  double streams_per_s = 0;
  double cpu_per_1000 = 0;  // server CPU seconds per 1000 streams
};

// `count` streams to `server` on `concurrency` threads.
Round RunStreams(const Server& server, const ClientTls& tls, int count,
                 int concurrency) {
  double cpu_before = CpuSeconds(server.pid());
  Clock::time_point start = Clock::now();
  std::string failure = RunSaslStreams(tls, server.port(), count, concurrency);
  double seconds = SecondsSince(start);
  double cpu = CpuSeconds(server.pid()) - cpu_before;
  if (!failure.empty()) {
    Die(std::string("a stream to ") + server.name() + " failed: " + failure +
        "\n--- " + server.name() + " log tail:\n" + server.LogTail());
  }
  return {count / seconds, cpu / count * 1000};
}

Options ParseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> int {
      if (i + 1 >= argc) Die(arg + " needs a value");
      int v = std::atoi(argv[++i]);
      if (v < 0 || (v == 0 && arg != "--warmup")) Die("bad value for " + arg);
      return v;
    };
    if (arg == "--runs") {
      options.runs = value();
    } else if (arg == "--streams") {
      options.streams = value();
    } else if (arg == "--concurrency") {
      options.concurrency = value();
    } else if (arg == "--warmup") {
      options.warmup = value();
    } else if (arg == "--prosody-config" && i + 1 < argc) {
      options.prosody_config = argv[++i];
    } else {
      Die("usage: sasl_bench [--runs R] [--streams N] [--concurrency C] "
          "[--warmup W] [--prosody-config LUA]");
    }
  }
  return options;
}

int Main(int argc, char** argv) {
  Options options = ParseOptions(argc, argv);
  if (ProsodyProcess::Binary().empty()) {
    Die("Prosody is not installed (Debian package prosody)");
  }
  RaiseFileLimit();
  TempDir pki("sasl-bench-pki");
  Certificates server = testing::MakeCertificates(
      pki.path(), std::string(kServerDomain) + " CA", {kServerDomain});
  Certificates partner = testing::MakeCertificates(
      pki.path(), std::string(kPartnerDomain) + " CA", {kPartnerDomain});
  ClientTls tls(partner, server.ca_cert);

  AgentServer agent(server, partner.ca_cert);
  ProsodyServer prosody(server, partner.ca_cert, options.prosody_config);
  std::printf(
      "inbound S2S streams, STARTTLS + SASL EXTERNAL, partner.test -> "
      "example.test on loopback; %d streams per round, %d at once, each "
      "closed once established; %d run(s)\n",
      options.streams, options.concurrency, options.runs);
  if (options.warmup > 0) {
    RunStreams(agent, tls, options.warmup, options.concurrency);
    RunStreams(prosody, tls, options.warmup, options.concurrency);
  }

  std::vector<double> agent_rate, prosody_rate, agent_cpu, prosody_cpu,
      rate_ratio, cpu_ratio;
  for (int run = 1; run <= options.runs; ++run) {
    Round a, p;
    if (run % 2 == 1) {
      a = RunStreams(agent, tls, options.streams, options.concurrency);
      p = RunStreams(prosody, tls, options.streams, options.concurrency);
    } else {
      p = RunStreams(prosody, tls, options.streams, options.concurrency);
      a = RunStreams(agent, tls, options.streams, options.concurrency);
    }
    agent_rate.push_back(a.streams_per_s);
    prosody_rate.push_back(p.streams_per_s);
    agent_cpu.push_back(a.cpu_per_1000);
    prosody_cpu.push_back(p.cpu_per_1000);
    rate_ratio.push_back(a.streams_per_s / p.streams_per_s);
    cpu_ratio.push_back(a.cpu_per_1000 / p.cpu_per_1000);
    std::printf(
        "run %d (%s first): agent %7.1f streams/s, %6.2f CPU s/1000 | "
        "Prosody %7.1f streams/s, %6.2f CPU s/1000 | agent/Prosody: "
        "rate %.2fx, CPU per stream %.2fx\n",
        run, run % 2 == 1 ? "agent" : "Prosody", a.streams_per_s,
        a.cpu_per_1000, p.streams_per_s, p.cpu_per_1000, rate_ratio.back(),
        cpu_ratio.back());
    std::fflush(stdout);
  }
  std::printf(
      "median: agent %7.1f streams/s, %6.2f CPU s/1000 | Prosody %7.1f "
      "streams/s, %6.2f CPU s/1000 | agent/Prosody: rate %.2fx, CPU per "
      "stream %.2fx\n",
      Median(agent_rate), Median(agent_cpu), Median(prosody_rate),
      Median(prosody_cpu), Median(rate_ratio), Median(cpu_ratio));

  // Each server's own word that it authenticated the peer by SASL
  // EXTERNAL, once per stream (warm-up included).
  std::printf(
      "authenticated by SASL EXTERNAL, from the logs: agent %zu (\"%s\"), "
      "Prosody %zu (\"%s\"), of %d streams each\n",
      Count(agent.Log(), kAgentExternalLine), kAgentExternalLine,
      Count(prosody.Log(), kProsodyExternalLine), kProsodyExternalLine,
      options.warmup + options.runs * options.streams);
  return 0;
}

}  // namespace
}  // namespace xmppfed::bench

int main(int argc, char** argv) {
  return xmppfed::bench::RunBench("sasl_bench", xmppfed::bench::Main, argc,
                                  argv);
}
