// The federation edge benchmark (issue 3). Two real agents on loopback:
// the edge under test serves example.test; the partner agent serves
// partner.test and N further domains pNNNN.partner.test, which the edge
// knows as the partner's additional domains. Each agent has certificates
// from its own CA (P-256, made with openssl) and trusts the other's; the
// partner policy on both sides is TLS Required (or NotSupported for the
// plaintext figures), SASL NotSupported, dialback on, Federated. The
// components of both agents are this program's raw XEP-0114 clients.
//
// What is measured, each against a baseline measured in the same process
// just before it (the machine is noisy; read the ratios):
//   streams  A message from the component of pK on the partner agent opens
//            the partner's outbound stream pK -> example.test: TCP connect,
//            STARTTLS, dialback <db:result/>, which the edge verifies over
//            a second connection of its own back to the partner (TCP,
//            STARTTLS, <db:verify/>); the stream counts as established when
//            the message reaches the edge's component. At most --window
//            streams negotiate at once. Reported per half, so that a cost
//            growing with the number of open streams shows. Baseline: TLS
//            handshakes/s with the partner's certificate, verified as the
//            edge verifies it, directly with OpenSSL (plain TCP connects/s
//            for the plaintext pass). A stream needs two of each.
//   memory   VmRSS of the edge agent with its component connected and no
//            S2S stream, and again with all N streams authenticated and
//            idle (1 s after the last, when the verification connections
//            have closed): (after - before) / N per stream.
//   relay    Messages (about 200 bytes, with a body) written in batches of
//            16 to the partner's components, relayed partner -> S2S (TLS)
//            -> edge -> the edge's component, over 1 stream and over
//            --relay-streams streams, with at most --relay-window messages
//            in flight. Wall-clock messages/s is the pipeline's (both agents
//            and this program share the machine); the edge's own cost is
//            its CPU time during the run, printed as messages per edge
//            CPU-second (its event loop is one thread: the one-core figure
//            the issue's target is about). Baselines: the same bytes over
//            one loopback TCP connection to a reader counting end tags, and
//            over one TLS connection, in this process.
// Every message sent must arrive; a loss or a stall ends the run with
// exit status 1 and the tail of both agents' logs.
//
// Each figure is also printed as "FIGURE name value" for edge_bench.sh.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "tests/bench/agent_site.h"
#include "tests/bench/edge_peers.h"
#include "tests/support/certificates.h"
#include "tests/support/temp_dir.h"

namespace xmppfed::bench {
namespace {

using testing::Certificates;
using testing::TempDir;

constexpr char kEdgeDomain[] = "example.test";
constexpr char kPartnerDomain[] = "partner.test";
constexpr uint64_t kBatch = 16;
constexpr std::chrono::seconds kStall(60);

struct Options {
  // Which passes run: "tls", "plain", "relay" (comma-separated).
  std::string parts = "tls,plain,relay";
  int streams = 1000;
  int window = 32;
  int relay_streams = 100;
  uint64_t relay_messages = 100000;
  uint64_t relay_window = 4096;
};

std::string PartnerDomain(int k) {
  char name[32];
  std::snprintf(name, sizeof name, "p%04d.partner.test", k);
  return name;
}

std::string Message(int k, uint64_t n) {
  return "<message from='alice@" + PartnerDomain(k) + "' to='bob@" +
         kEdgeDomain + "' type='chat' id='m" + std::to_string(n) +
         "'><body>The quick brown fox jumps over the lazy dog; "
         "a benchmark message of some two hundred bytes.</body></message>";
}

void Figure(const std::string& name, double value) {
  std::printf("FIGURE %s %.6g\n", name.c_str(), value);
}

// The partner policy of this benchmark: `tls`, no SASL, dialback.
std::vector<std::string> DialbackPolicy(const std::string& tls) {
  return {"--tls-negotiation",
          tls,
          "--sasl-negotiation",
          "NotSupported",
          "--support-dialback-negotiation",
          "true"};
}

struct Pki {
  TempDir dir{"edge-bench-pki"};
  Certificates edge =
      testing::MakeCertificates(dir.path(), "example.test CA", {kEdgeDomain});
  Certificates partner = testing::MakeCertificates(
      dir.path(), "partner.test CA", {kPartnerDomain, "*.partner.test"});
};

// The two agents with `domains` partner domains, their partner entries and
// all components connected; no S2S stream yet.
class Federation {
 public:
  Federation(const Pki& pki, int domains, const std::string& tls)
      : edge_({{kEdgeDomain}, pki.edge, pki.partner.ca_cert}),
        partner_({PartnerDomains(domains), pki.partner, pki.edge.ca_cert}) {
    std::string additional;
    for (int k = 0; k < domains; ++k) {
      additional += (k == 0 ? "" : ",") + PartnerDomain(k);
    }
    edge_.AddPartner(kPartnerDomain, partner_.s2s_address(),
                     DialbackPolicy(tls), additional);
    partner_.AddPartner(kEdgeDomain, edge_.s2s_address(), DialbackPolicy(tls));
    Connect(gateway_, edge_, kEdgeDomain);
    arrivals_ = std::make_unique<MessageCounter>(gateway_.fd());
    senders_.resize(domains);
    for (int k = 0; k < domains; ++k) {
      senders_[k] = std::make_unique<RawComponent>();
      Connect(*senders_[k], partner_, PartnerDomain(k));
    }
  }

  const AgentSite& edge() const { return edge_; }
  const AgentSite& partner() const { return partner_; }

  // Opens the streams of partner domains [first, last) with one message
  // each, at most `window` negotiating at once; returns the seconds taken.
  double Establish(int first, int last, int window) {
    uint64_t base = arrivals_->count();
    Clock::time_point start = Clock::now();
    for (int k = first; k < last; ++k) {
      uint64_t started = static_cast<uint64_t>(k - first);
      if (started >= static_cast<uint64_t>(window)) {
        WaitArrivals(base + started - window + 1, "stream establishment");
      }
      senders_[k]->Send(Message(k, 0));
    }
    WaitArrivals(base + static_cast<uint64_t>(last - first),
                 "stream establishment");
    return SecondsSince(start);
  }

  struct RelayResult {
    double seconds, edge_cpu, partner_cpu;
  };
  // Relays `total` messages round-robin over the streams of the first
  // `streams` partner domains (already established).
  RelayResult Relay(int streams, uint64_t total, uint64_t window) {
    std::vector<std::string> batches(streams);
    for (int k = 0; k < streams; ++k) {
      for (uint64_t i = 0; i < kBatch; ++i) batches[k] += Message(k, i);
    }
    uint64_t base = arrivals_->count();
    double edge_cpu = CpuSeconds(edge_.pid());
    double partner_cpu = CpuSeconds(partner_.pid());
    Clock::time_point start = Clock::now();
    uint64_t sent = 0;
    for (int k = 0; sent < total; k = (k + 1) % streams) {
      while (sent + kBatch > window &&
             arrivals_->count() - base < sent + kBatch - window) {
        if (arrivals_->closed()) WaitArrivals(base + sent, "relay");
        std::this_thread::sleep_for(std::chrono::microseconds(100));
      }
      if (!senders_[k]->Send(batches[k])) Die("a partner component closed");
      sent += kBatch;
    }
    WaitArrivals(base + sent, "relay");
    return {SecondsSince(start), CpuSeconds(edge_.pid()) - edge_cpu,
            CpuSeconds(partner_.pid()) - partner_cpu};
  }

 private:
  static std::vector<std::string> PartnerDomains(int domains) {
    std::vector<std::string> all = {kPartnerDomain};
    for (int k = 0; k < domains; ++k) all.push_back(PartnerDomain(k));
    return all;
  }
  static void Connect(RawComponent& component, const AgentSite& site,
                      const std::string& domain) {
    if (!component.Connect(site.component_port(), domain, kComponentSecret)) {
      Die("component " + domain + ": " + component.error());
    }
  }
  void WaitArrivals(uint64_t target, const char* what) {
    if (arrivals_->WaitFor(target, kStall)) return;
    Die(std::string(what) + ": " + std::to_string(arrivals_->count()) +
        " messages arrived, " + std::to_string(target) +
        " expected\n--- edge log tail:\n" + edge_.LogTail() +
        "\n--- partner log tail:\n" + partner_.LogTail());
  }

  AgentSite edge_;
  AgentSite partner_;
  RawComponent gateway_;
  std::unique_ptr<MessageCounter> arrivals_;
  std::vector<std::unique_ptr<RawComponent>> senders_;
};

void StreamsAndMemory(const Pki& pki, const Options& options, bool tls) {
  const char* pass = tls ? "tls" : "plain";
  double floor =
      tls ? TlsHandshakesPerSecond(pki.partner.cert, pki.partner.key,
                                   pki.partner.ca_cert, PartnerDomain(0),
                                   std::chrono::seconds(1))
          : TcpConnectsPerSecond(std::chrono::seconds(1));
  Federation federation(pki, options.streams,
                        tls ? "Required" : "NotSupported");
  pid_t edge = federation.edge().pid();
  long idle_kib = ResidentKib(edge);
  int half = options.streams / 2;
  double first = federation.Establish(0, half, options.window);
  double second = federation.Establish(half, options.streams, options.window);
  std::this_thread::sleep_for(std::chrono::seconds(1));
  long loaded_kib = ResidentKib(edge);
  int open = federation.edge().AuthenticatedStreams("Inbound");
  if (open != options.streams) {
    Die(std::to_string(open) + " inbound streams authenticated at the edge, " +
        std::to_string(options.streams) + " expected");
  }
  double rate = options.streams / (first + second);
  std::printf(
      "streams %-5s %d established in %.2f s: %.0f streams/s (first half "
      "%.0f/s, second %.0f/s) | floor: %s %.0f/s -> %.3fx the floor\n",
      pass, options.streams, first + second, rate, half / first,
      (options.streams - half) / second,
      tls ? "OpenSSL handshakes" : "TCP connects", floor, rate / floor);
  double per_stream =
      static_cast<double>(loaded_kib - idle_kib) / options.streams;
  std::printf(
      "memory  %-5s edge RSS %.1f MiB with no stream -> %.1f MiB with %d "
      "idle authenticated streams: %.1f KiB per stream (target < 64)\n",
      pass, idle_kib / 1024.0, loaded_kib / 1024.0, options.streams,
      per_stream);
  std::string prefix = std::string(pass) + "_";
  Figure(prefix + "streams_per_s", rate);
  Figure(prefix + "streams_first_half_per_s", half / first);
  Figure(prefix + "streams_second_half_per_s",
         (options.streams - half) / second);
  Figure(prefix + "streams_floor_per_s", floor);
  Figure(prefix + "streams_ratio", rate / floor);
  Figure(prefix + "idle_rss_kib", static_cast<double>(idle_kib));
  Figure(prefix + "loaded_rss_kib", static_cast<double>(loaded_kib));
  Figure(prefix + "kib_per_stream", per_stream);
}

void RelayThroughput(const Pki& pki, const Options& options) {
  std::string batch;
  for (uint64_t i = 0; i < kBatch; ++i) batch += Message(0, i);
  uint64_t rounds = options.relay_messages / kBatch;
  Federation federation(pki, options.relay_streams, "Required");
  federation.Establish(0, options.relay_streams, options.window);
  for (int streams : {1, options.relay_streams}) {
    double plain = StreamMessagesPerSecond(batch, kBatch, rounds, {});
    double secure =
        StreamMessagesPerSecond(batch, kBatch, rounds,
                                {pki.partner.cert, pki.partner.key,
                                 pki.partner.ca_cert, PartnerDomain(0)});
    Federation::RelayResult run =
        federation.Relay(streams, rounds * kBatch, options.relay_window);
    double messages = static_cast<double>(rounds * kBatch);
    double wall = messages / run.seconds;
    double per_cpu = messages / run.edge_cpu;
    std::printf(
        "relay   %3d stream(s): %.0f messages in %.2f s: %.0f msg/s wall; "
        "edge CPU %.2f s -> %.0f msg per edge CPU-second (target >= 50000), "
        "partner CPU %.2f s | floor: plain TCP %.0f msg/s, TLS %.0f msg/s -> "
        "wall %.3fx TCP, %.3fx TLS\n",
        streams, messages, run.seconds, wall, run.edge_cpu, per_cpu,
        run.partner_cpu, plain, secure, wall / plain, wall / secure);
    std::string prefix = "relay_" + std::to_string(streams) + "_";
    Figure(prefix + "msg_per_s", wall);
    Figure(prefix + "msg_per_edge_cpu_s", per_cpu);
    Figure(prefix + "partner_cpu_s", run.partner_cpu);
    Figure(prefix + "floor_tcp_msg_per_s", plain);
    Figure(prefix + "floor_tls_msg_per_s", secure);
    Figure(prefix + "ratio_tcp", wall / plain);
    Figure(prefix + "ratio_tls", wall / secure);
  }
}

Options Parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    long value = std::atol(argv[i + 1]);
    if (flag == "--parts") {
      options.parts = argv[i + 1];
    } else if (flag == "--streams") {
      options.streams = static_cast<int>(value);
    } else if (flag == "--window") {
      options.window = static_cast<int>(value);
    } else if (flag == "--relay-streams") {
      options.relay_streams = static_cast<int>(value);
    } else if (flag == "--relay-messages") {
      options.relay_messages = static_cast<uint64_t>(value);
    } else if (flag == "--relay-window") {
      options.relay_window = static_cast<uint64_t>(value);
    } else {
      Die("unknown option " + flag);
    }
  }
  if (argc % 2 == 0 || options.streams < 2 || options.window < 1 ||
      options.relay_streams < 1 || options.relay_messages < kBatch ||
      options.relay_window < kBatch) {
    Die("usage: edge_bench [--parts tls,plain,relay] [--streams N>=2] "
        "[--window W] [--relay-streams S] [--relay-messages M] "
        "[--relay-window W]");
  }
  return options;
}

int Main(int argc, char** argv) {
  Options options = Parse(argc, argv);
  long files = RaiseFileLimit();
  if (files < 4 * options.streams + 100) {
    Die("the file descriptor limit (" + std::to_string(files) +
        ") is too low for " + std::to_string(options.streams) + " streams");
  }
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  Pki pki;
  auto wanted = [&options](const char* part) {
    return ("," + options.parts + ",").find(std::string(",") + part + ",") !=
           std::string::npos;
  };
  if (wanted("tls")) StreamsAndMemory(pki, options, /*tls=*/true);
  if (wanted("plain")) StreamsAndMemory(pki, options, /*tls=*/false);
  if (wanted("relay")) RelayThroughput(pki, options);
  return 0;
}

}  // namespace
}  // namespace xmppfed::bench

int main(int argc, char** argv) {
  return xmppfed::bench::RunBench("edge_bench", xmppfed::bench::Main, argc,
                                  argv);
}
