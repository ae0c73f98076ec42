// The relay benchmark (issue 10): two agents on loopback, A serving
// example.test and B serving partner.test, each the other's partner with
// TLS Required and SASL EXTERNAL Required (no dialback), Federated, each
// reached at the other's S2S port (proxyFqdn); certificates from a CA of
// each side, made per run. The internal gateways are this program's raw
// XEP-0114 components (tests/bench/edge_peers.h).
//
// Two such pairs run side by side: one with 10 partners stored on each
// agent (the other agent and 9 more), one with --stored (100,000: the rest
// by import-partners), measured in turn so that the machine's noise hits
// both; the stored count should cost nothing. On each:
//   relay  M messages (about 200 bytes, with a body) from A's component to
//          B's (component -> A -> S2S TLS -> B -> component), written in
//          batches of 16 with at most --window in flight, then M the other
//          way. Per direction: messages/s of the pipeline (wall clock), and
//          messages per CPU-second of the sending agent (the component ->
//          S2S path) and of the receiving agent (S2S -> component), from
//          /proc utime + stime; and this program's own CPU (the load
//          generator: writer and counters), which must stay below a core.
//   setup  N inbound streams to A from partner.test with STARTTLS and SASL
//          EXTERNAL, --concurrency at once, each closed once established
//          (tests/bench/sasl_client_stream.h): streams/s and A's CPU per
//          stream; then the same number of bare TLS connections (no
//          XMPP) served by this process with A's TLS context, the floor
//          of a setup (tls_floor.h): its CPU per connection, A's setup
//          CPU over it, and two parts of the floor timed alone: the
//          server's key exchange and signatures, and the parse of the
//          client's certificate.
// Each figure is printed per run, then the medians over --runs and the
// ratios 100,000 / 10 stored. Every message must arrive: a loss or a stall
// (60 s) ends the run with status 1 and both agents' log tails.
//
// With --metrics 1 the two pairs differ in --metrics-listen instead: both
// store 10 partners, the first pair has metrics off ("10 stored" lines),
// the second on ("11 stored" lines: metrics on, scraped once per second
// during each measurement), and the ratios are on / off.
//
//   relay_bench [--runs R] [--messages M] [--window W] [--setup-streams N]
//               [--concurrency C] [--stored S] [--metrics 1]
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/bench/agent_site.h"
#include "tests/bench/edge_peers.h"
#include "tests/bench/sasl_client_stream.h"
#include "tests/bench/tls_floor.h"
#include "tests/support/http_get.h"

namespace xmppfed::bench {
namespace {

using testing::Certificates;
using testing::TempDir;

constexpr uint64_t kBatch = 16;
constexpr std::chrono::seconds kStall(60);

struct Options {
  int runs = 3;
  uint64_t messages = 200000;
  uint64_t window = 4096;
  int setup_streams = 500;
  int concurrency = 4;
  int stored = 100000;
  // Compare metrics off and on instead of 10 and `stored` partners.
  bool metrics = false;
};

double OwnCpuSeconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

std::string Message(const std::string& from, const std::string& to,
                    uint64_t n) {
  return "<message from='alice@" + from + "/desk' to='bob@" + to +
         "' type='chat' id='m" + std::to_string(n) +
         "'><body>The quick brown fox jumps over the lazy dog; "
         "a benchmark message of some two hundred bytes.</body></message>";
}

// The figures of one run at one stored count, by name.
using Figures = std::map<std::string, double>;

struct Pki {
  TempDir dir{"relay-bench-pki"};
  Certificates a = testing::MakeCertificates(
      dir.path(), std::string(kServerDomain) + " CA", {kServerDomain});
  Certificates b = testing::MakeCertificates(
      dir.path(), std::string(kPartnerDomain) + " CA", {kPartnerDomain});
};

class Pair {
 public:
  explicit Pair(const Pki& pki, std::vector<std::string> extra_args = {})
      : a_({{kServerDomain}, pki.a, pki.b.ca_cert, "127.0.0.1", 0, extra_args}),
        b_({{kPartnerDomain},
            pki.b,
            pki.a.ca_cert,
            "127.0.0.1",
            0,
            extra_args}),
        pki_(pki),
        client_tls_(pki.b, pki.a.ca_cert) {
    a_.AddPartner(kPartnerDomain, b_.s2s_address(), SaslExternalPolicy());
    b_.AddPartner(kServerDomain, a_.s2s_address(), SaslExternalPolicy());
    Connect(gateway_a_, a_, kServerDomain);
    Connect(gateway_b_, b_, kPartnerDomain);
    arrivals_a_ = std::make_unique<MessageCounter>(gateway_a_.fd());
    arrivals_b_ = std::make_unique<MessageCounter>(gateway_b_.fd());
  }

  // Adds dummy partners d<first>.bench.test .. d<last-1>.bench.test (each
  // with one additional domain) to both agents with import-partners.
  void StorePartners(int first, int last, const std::string& dir) {
    std::string path = dir + "/partners.ndjson";
    {
      std::ofstream out(path, std::ios::trunc);
      for (int i = first; i < last; ++i) {
        out << "{\"identity\":\"d" << i
            << ".bench.test\",\"partnerType\":\"Federated\","
               "\"additionalDomains\":[\"e"
            << i << ".bench.test\"]}\n";
      }
    }
    for (const AgentSite* site : {&a_, &b_}) {
      site->Cli({"import-partners", path, "--quiet", "-o", "ndjson"});
    }
  }

  // `messages` from A's gateway to B's (or back); the figures under
  // `prefix`.
  void Relay(bool a_to_b, uint64_t messages, uint64_t window,
             const std::string& prefix, Figures* figures) {
    const AgentSite& sender = a_to_b ? a_ : b_;
    const AgentSite& receiver = a_to_b ? b_ : a_;
    RawComponent& gateway = a_to_b ? gateway_a_ : gateway_b_;
    MessageCounter& arrivals = a_to_b ? *arrivals_b_ : *arrivals_a_;
    std::string from = a_to_b ? kServerDomain : kPartnerDomain;
    std::string to = a_to_b ? kPartnerDomain : kServerDomain;
    std::string batch;
    for (uint64_t i = 0; i < kBatch; ++i) batch += Message(from, to, i);
    uint64_t base = arrivals.count();
    double sender_cpu = CpuSeconds(sender.pid());
    double receiver_cpu = CpuSeconds(receiver.pid());
    double own_cpu = OwnCpuSeconds();
    Clock::time_point start = Clock::now();
    uint64_t sent = 0;
    while (sent < messages) {
      while (sent + kBatch > window &&
             arrivals.count() - base < sent + kBatch - window) {
        if (arrivals.closed()) Wait(arrivals, base + sent);
        std::this_thread::sleep_for(std::chrono::microseconds(50));
      }
      if (!gateway.Send(batch)) Die("a gateway component closed");
      sent += kBatch;
    }
    Wait(arrivals, base + sent);
    double seconds = SecondsSince(start);
    double m = static_cast<double>(sent);
    (*figures)[prefix + "msg_per_s"] = m / seconds;
    (*figures)[prefix + "sender_msg_per_cpu_s"] =
        m / (CpuSeconds(sender.pid()) - sender_cpu);
    (*figures)[prefix + "receiver_msg_per_cpu_s"] =
        m / (CpuSeconds(receiver.pid()) - receiver_cpu);
    (*figures)[prefix + "generator_cpu_per_s"] =
        (OwnCpuSeconds() - own_cpu) / seconds;
  }

  // `count` inbound STARTTLS + SASL EXTERNAL streams to A.
  void Setup(int count, int concurrency, Figures* figures) {
    double cpu = CpuSeconds(a_.pid());
    Clock::time_point start = Clock::now();
    std::string failure =
        RunSaslStreams(client_tls_, a_.s2s_port(), count, concurrency);
    if (!failure.empty()) {
      Die("an inbound stream failed: " + failure + "\n--- A log tail:\n" +
          a_.LogTail());
    }
    (*figures)["setup_streams_per_s"] = count / SecondsSince(start);
    (*figures)["setup_cpu_ms_per_stream"] =
        (CpuSeconds(a_.pid()) - cpu) / count * 1000;
    // The same connections without XMPP, served by this process with A's
    // TLS context (tls_floor.h): what OpenSSL alone costs per setup.
    absl::StatusOr<TlsFloor> floor =
        MeasureTlsFloor(client_tls_, pki_.b, pki_.a, count, concurrency);
    if (!floor.ok()) Die("the TLS floor: " + floor.status().ToString());
    (*figures)["tls_floor_cpu_ms"] = floor->server_cpu_ms_per_connection;
    (*figures)["tls_crypto_ms"] = floor->key_exchange_and_signatures_ms;
    (*figures)["tls_cert_parse_ms"] = floor->client_certificate_parse_ms;
    (*figures)["setup_cpu_over_tls_floor"] =
        (*figures)["setup_cpu_ms_per_stream"] /
        floor->server_cpu_ms_per_connection;
  }

  // Scrapes both agents' /metrics once a second until destroyed, as a
  // Prometheus server would (more often than the usual 15 s).
  void StartScraping() {
    std::vector<uint16_t> ports = {a_.MetricsPort(), b_.MetricsPort()};
    for (uint16_t port : ports) {
      if (port == 0) Die("--metrics-listen is on but no port was logged");
    }
    scraper_ = std::thread([this, ports] {
      while (!stop_scraping_) {
        for (uint16_t port : ports) {
          absl::StatusOr<testing::HttpResponse> scraped =
              testing::HttpGet("127.0.0.1", port, "/metrics");
          if (!scraped.ok() || scraped->status != 200) {
            std::fprintf(stderr, "scrape of port %u failed\n", port);
          }
        }
        std::this_thread::sleep_for(std::chrono::seconds(1));
      }
    });
  }

  ~Pair() {
    stop_scraping_ = true;
    if (scraper_.joinable()) scraper_.join();
  }

 private:
  std::thread scraper_;
  std::atomic<bool> stop_scraping_ = false;
  static void Connect(RawComponent& component, const AgentSite& site,
                      const std::string& domain) {
    if (!component.Connect(site.component_port(), domain, kComponentSecret)) {
      Die("component " + domain + ": " + component.error());
    }
  }
  void Wait(const MessageCounter& arrivals, uint64_t target) {
    if (arrivals.WaitFor(target, kStall)) return;
    Die(std::to_string(arrivals.count()) + " messages arrived, " +
        std::to_string(target) + " expected\n--- A log tail:\n" + a_.LogTail() +
        "\n--- B log tail:\n" + b_.LogTail());
  }

  AgentSite a_;
  AgentSite b_;
  const Pki& pki_;
  ClientTls client_tls_;
  RawComponent gateway_a_, gateway_b_;
  std::unique_ptr<MessageCounter> arrivals_a_, arrivals_b_;
};

void PrintRun(int stored, int run, Figures& f) {
  std::printf(
      "%6d stored, run %d: component->S2S->component A->B %.0f msg/s "
      "(A sending %.0f msg/CPU-s, B receiving %.0f msg/CPU-s, generator "
      "%.2f cores); B->A %.0f msg/s (B sending %.0f, A receiving %.0f "
      "msg/CPU-s, generator %.2f cores); setup %.0f streams/s, %.3f ms A "
      "CPU each (TLS floor %.3f ms, %.2fx; in the floor: key exchange and "
      "signatures %.3f ms, client certificate parse %.3f ms)\n",
      stored, run, f["ab_msg_per_s"], f["ab_sender_msg_per_cpu_s"],
      f["ab_receiver_msg_per_cpu_s"], f["ab_generator_cpu_per_s"],
      f["ba_msg_per_s"], f["ba_sender_msg_per_cpu_s"],
      f["ba_receiver_msg_per_cpu_s"], f["ba_generator_cpu_per_s"],
      f["setup_streams_per_s"], f["setup_cpu_ms_per_stream"],
      f["tls_floor_cpu_ms"], f["setup_cpu_over_tls_floor"], f["tls_crypto_ms"],
      f["tls_cert_parse_ms"]);
}

Options Parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    long value = std::atol(argv[i + 1]);
    if (value <= 0) Die("bad value for " + flag);
    if (flag == "--runs") {
      options.runs = static_cast<int>(value);
    } else if (flag == "--messages") {
      options.messages = static_cast<uint64_t>(value);
    } else if (flag == "--window") {
      options.window = static_cast<uint64_t>(value);
    } else if (flag == "--setup-streams") {
      options.setup_streams = static_cast<int>(value);
    } else if (flag == "--concurrency") {
      options.concurrency = static_cast<int>(value);
    } else if (flag == "--stored") {
      options.stored = static_cast<int>(value);
    } else if (flag == "--metrics") {
      options.metrics = value != 0;
    } else {
      Die("unknown option " + flag);
    }
  }
  if (argc % 2 == 0 || options.messages < kBatch || options.window < kBatch ||
      options.stored < 10) {
    Die("usage: relay_bench [--runs R] [--messages M] [--window W] "
        "[--setup-streams N] [--concurrency C] [--stored S>=10] "
        "[--metrics 1]");
  }
  return options;
}

int Main(int argc, char** argv) {
  Options options = Parse(argc, argv);
  RaiseFileLimit();
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  Pki pki;
  if (options.metrics) options.stored = 11;
  std::printf(
      "two agent pairs, TLS + SASL EXTERNAL both ways, one with 10 partners "
      "stored on each agent and one with %d, measured in turn; %llu "
      "messages each way per run, %d inbound setups per run, %d run(s)\n",
      options.stored, static_cast<unsigned long long>(options.messages),
      options.setup_streams, options.runs);
  if (options.metrics) {
    std::printf(
        "--metrics 1: both pairs store 10 partners; \"10 stored\" has "
        "metrics off, \"11 stored\" has --metrics-listen on and is scraped "
        "every second\n");
  }
  // Pairs by stored count: the other agent, plus dummies.
  std::map<int, std::unique_ptr<Pair>> pairs;
  for (int stored : {10, options.stored}) {
    bool metrics_on = options.metrics && stored == options.stored;
    auto pair = std::make_unique<Pair>(
        pki, metrics_on
                 ? std::vector<std::string>{"--metrics-listen", "127.0.0.1:0"}
                 : std::vector<std::string>{});
    if (metrics_on) pair->StartScraping();
    pair->StorePartners(0, (options.metrics ? 10 : stored) - 1, pki.dir.path());
    // Both streams up before anything is measured.
    Figures warmup;
    pair->Relay(true, 1024, options.window, "", &warmup);
    pair->Relay(false, 1024, options.window, "", &warmup);
    pairs[stored] = std::move(pair);
  }
  std::map<int, std::map<std::string, std::vector<double>>> all;
  for (int run = 1; run <= options.runs; ++run) {
    // The order alternates, so that the machine's noise hits both.
    std::vector<int> order = {10, options.stored};
    if (run % 2 == 0) std::reverse(order.begin(), order.end());
    for (int stored : order) {
      Figures f;
      Pair& pair = *pairs[stored];
      pair.Relay(true, options.messages, options.window, "ab_", &f);
      pair.Relay(false, options.messages, options.window, "ba_", &f);
      pair.Setup(options.setup_streams, options.concurrency, &f);
      PrintRun(stored, run, f);
      for (const auto& [name, value] : f) all[stored][name].push_back(value);
    }
  }
  Figures low, high;
  for (const auto& [name, values] : all[10]) low[name] = Median(values);
  for (const auto& [name, values] : all[options.stored]) {
    high[name] = Median(values);
  }
  PrintRun(10, 0, low);
  PrintRun(options.stored, 0, high);
  std::printf("(run 0 = the medians) %d / 10 stored:", options.stored);
  for (const char* name :
       {"ab_msg_per_s", "ab_sender_msg_per_cpu_s", "ab_receiver_msg_per_cpu_s",
        "ba_msg_per_s", "ba_sender_msg_per_cpu_s", "ba_receiver_msg_per_cpu_s",
        "setup_streams_per_s", "setup_cpu_ms_per_stream"}) {
    std::printf(" %s %.3f", name, high[name] / low[name]);
  }
  std::printf("\n");
  return 0;
}

}  // namespace
}  // namespace xmppfed::bench

int main(int argc, char** argv) {
  return xmppfed::bench::RunBench("relay_bench", xmppfed::bench::Main, argc,
                                  argv);
}
