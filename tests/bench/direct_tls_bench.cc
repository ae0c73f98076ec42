// Inbound S2S stream setup over XEP-0368 direct TLS against STARTTLS, on
// one agent in one run (direct_tls_bench.sh runs it).
//
// The agent serves example.test with --s2s-listen and --s2s-tls-listen on
// 127.0.0.1; partner.test is a partner with TLS and SASL EXTERNAL Required
// and no dialback. This program plays partner.test with blocking sockets
// and OpenSSL (tests/bench/sasl_client_stream.h): a STARTTLS stream is TCP
// connect, header, features, <starttls/>, <proceed/>, TLS handshake,
// header, features, SASL EXTERNAL, header, features; a direct TLS stream is
// TCP connect, TLS handshake (ALPN xmpp-server), header, features, SASL
// EXTERNAL, header, features: one round trip fewer. Every stream is then
// closed politely; none stays open.
//
// A run is one round of --streams streams over each, on --concurrency
// threads, in alternating order from run to run. Per round: streams/s
// (wall clock), the setup latency from TCP connect to the features after
// SASL (p50 and p99 over the round's streams) and the agent's CPU seconds
// per 1000 streams. Printed per run and as medians, with the ratios direct
// TLS / STARTTLS (rate: higher is better for direct TLS; latency and CPU:
// lower is). Any failed stream ends the program with status 1.
//
//   direct_tls_bench [--runs R] [--streams N] [--concurrency C]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "tests/bench/agent_site.h"
#include "tests/bench/edge_peers.h"
#include "tests/bench/sasl_client_stream.h"
#include "tests/support/certificates.h"
#include "tests/support/json.h"
#include "tests/support/temp_dir.h"

namespace xmppfed::bench {
namespace {

struct Options {
  int runs = 5;
  int streams = 300;
  int concurrency = 4;
};

struct Round {
  double streams_per_s = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double cpu_per_1000 = 0;
};

double Quantile(std::vector<double> sorted, double q) {
  std::sort(sorted.begin(), sorted.end());
  return sorted[std::min(sorted.size() - 1,
                         static_cast<size_t>(sorted.size() * q))];
}

Round RunRound(const AgentSite& agent, uint16_t port, bool direct_tls,
               const ClientTls& tls, const Options& options) {
  std::vector<double> setups;
  double cpu_before = CpuSeconds(agent.pid());
  Clock::time_point start = Clock::now();
  std::string failure = RunSaslStreams(
      tls, port, options.streams, options.concurrency, direct_tls, &setups);
  double seconds = SecondsSince(start);
  double cpu = CpuSeconds(agent.pid()) - cpu_before;
  if (!failure.empty()) {
    Die(std::string(direct_tls ? "a direct TLS" : "a STARTTLS") +
        " stream failed: " + failure + "\n" + agent.LogTail());
  }
  return {options.streams / seconds, Quantile(setups, 0.5) * 1000,
          Quantile(setups, 0.99) * 1000, cpu / options.streams * 1000};
}

Options ParseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (i + 1 >= argc) Die(arg + " needs a value");
    int value = std::atoi(argv[++i]);
    if (value <= 0) Die("bad value for " + arg);
    if (arg == "--runs") {
      options.runs = value;
    } else if (arg == "--streams") {
      options.streams = value;
    } else if (arg == "--concurrency") {
      options.concurrency = value;
    } else {
      Die("unknown option " + arg);
    }
  }
  return options;
}

uint16_t DirectTlsPort(const AgentSite& agent) {
  testing::JsonValue info;
  if (!testing::ParseJson(agent.Cli({"get-agent", "-o", "json"}), &info)) {
    Die("get-agent printed no JSON");
  }
  for (const testing::JsonValue& listener :
       testing::Elements(*testing::Member(info, "listeners"))) {
    if (testing::Str(listener, "name") != "s2s-tls") continue;
    std::string address = testing::Str(listener, "address");
    return static_cast<uint16_t>(
        std::stoi(address.substr(address.rfind(':') + 1)));
  }
  Die("the agent reports no s2s-tls listener");
}

void Print(const char* label, const Round& round) {
  std::printf("  %-9s %10.1f %9.2f %9.2f %12.3f\n", label, round.streams_per_s,
              round.p50_ms, round.p99_ms, round.cpu_per_1000);
}

int Main(int argc, char** argv) {
  Options options = ParseOptions(argc, argv);
  testing::TempDir dir("direct-tls-bench");
  testing::Certificates server =
      testing::MakeCertificates(dir.path(), "example.test CA", {kServerDomain});
  testing::Certificates partner = testing::MakeCertificates(
      dir.path(), "partner.test CA", {kPartnerDomain});
  AgentSite agent({.domains = {kServerDomain},
                   .certificates = server,
                   .trusted_ca = partner.ca_cert,
                   .extra_args = {"--s2s-tls-listen", "127.0.0.1:0"}});
  agent.AddPartner(kPartnerDomain, "127.0.0.1:1", SaslExternalPolicy());
  uint16_t direct_port = DirectTlsPort(agent);
  ClientTls tls(partner, server.ca_cert);

  // Unmeasured: the first streams of each kind warm both sides up.
  Options warmup = options;
  warmup.streams = 20;
  RunRound(agent, agent.s2s_port(), false, tls, warmup);
  RunRound(agent, direct_port, true, tls, warmup);

  std::printf(
      "direct TLS vs STARTTLS, inbound SASL EXTERNAL streams: %d runs of %d "
      "streams, concurrency %d\n",
      options.runs, options.streams, options.concurrency);
  std::printf("  %-9s %10s %9s %9s %12s\n", "", "streams/s", "p50_ms", "p99_ms",
              "cpu_s/1000");
  std::vector<double> rate_ratio, p50_ratio, p99_ratio, cpu_ratio;
  std::vector<double> starttls_rate, direct_rate, starttls_p50, direct_p50,
      starttls_p99, direct_p99;
  for (int run = 0; run < options.runs; ++run) {
    Round starttls, direct;
    if (run % 2 == 0) {
      starttls = RunRound(agent, agent.s2s_port(), false, tls, options);
      direct = RunRound(agent, direct_port, true, tls, options);
    } else {
      direct = RunRound(agent, direct_port, true, tls, options);
      starttls = RunRound(agent, agent.s2s_port(), false, tls, options);
    }
    std::printf("run %d\n", run + 1);
    Print("STARTTLS", starttls);
    Print("direct", direct);
    starttls_rate.push_back(starttls.streams_per_s);
    direct_rate.push_back(direct.streams_per_s);
    starttls_p50.push_back(starttls.p50_ms);
    direct_p50.push_back(direct.p50_ms);
    starttls_p99.push_back(starttls.p99_ms);
    direct_p99.push_back(direct.p99_ms);
    rate_ratio.push_back(direct.streams_per_s / starttls.streams_per_s);
    p50_ratio.push_back(direct.p50_ms / starttls.p50_ms);
    p99_ratio.push_back(direct.p99_ms / starttls.p99_ms);
    cpu_ratio.push_back(direct.cpu_per_1000 / starttls.cpu_per_1000);
  }
  std::printf(
      "medians: STARTTLS %.1f streams/s (p50 %.2f ms, p99 %.2f ms); direct "
      "TLS %.1f streams/s (p50 %.2f ms, p99 %.2f ms)\n",
      Median(starttls_rate), Median(starttls_p50), Median(starttls_p99),
      Median(direct_rate), Median(direct_p50), Median(direct_p99));
  std::printf(
      "ratios direct TLS / STARTTLS (medians of per-run ratios): streams/s "
      "%.2f, p50 latency %.2f, p99 latency %.2f, agent CPU per stream "
      "%.2f\n",
      Median(rate_ratio), Median(p50_ratio), Median(p99_ratio),
      Median(cpu_ratio));
  return 0;
}

}  // namespace
}  // namespace xmppfed::bench

int main(int argc, char** argv) {
  return xmppfed::bench::RunBench("direct_tls_bench", xmppfed::bench::Main,
                                  argc, argv);
}
