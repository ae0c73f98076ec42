// XEP-0288's saving (issue 15): the TCP connections that --partners
// partners need when each exchanges messages both ways with one local
// domain, with bidirectional streams (the default) and without them
// (enableBidirectionalStreams false on both agents), in the same run.
//
// Agent X serves example.test; agent Y serves p0.test .. p<P-1>.test, one
// partner of X each (one certificate naming them all), and has example.test
// as its partner. Both are reached at each other's S2S port (proxyFqdn),
// TLS Required, SASL EXTERNAL Required, no dialback, Federated. Each side's
// gateways are this program's raw XEP-0114 components (one per domain).
// Per mode, on fresh agents:
//   exchange  one message from X's gateway to every partner domain, then
//             each partner domain's answer: wall time (stream setups
//             included), then the established connections between the two
//             S2S ports (ss) and the authenticated streams each agent lists
//             (get-session);
//   load      --messages more per partner each way at once: messages/s.
// Each figure per run, then the medians and the ratios bidi / without.
// Every message must arrive: a loss or a stall (60 s) ends the run with
// status 1 and both agents' log tails.
//
//   bidi_bench [--runs R] [--partners P] [--messages M]
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/bench/agent_site.h"
#include "tests/bench/edge_peers.h"
#include "tests/support/tcp_connections.h"

namespace xmppfed::bench {
namespace {

using testing::Certificates;
using testing::TempDir;

constexpr char kLocal[] = "example.test";
constexpr std::chrono::seconds kStall(60);

struct Options {
  int runs = 3;
  int partners = 100;
  uint64_t messages = 200;
};

std::string PartnerDomain(int i) { return "p" + std::to_string(i) + ".test"; }

std::string Message(const std::string& from, const std::string& to,
                    uint64_t n) {
  return "<message from='" + from + "' to='" + to + "' type='chat' id='m" +
         std::to_string(n) + "'><body>bidi bench message " + std::to_string(n) +
         "</body></message>";
}

using Figures = std::map<std::string, double>;

struct Pki {
  TempDir dir{"bidi-bench-pki"};
  Certificates x;
  Certificates y;
  explicit Pki(int partners) {
    std::vector<std::string> names;
    for (int i = 0; i < partners; ++i) names.push_back(PartnerDomain(i));
    x = testing::MakeCertificates(dir.path(), "example CA", {kLocal});
    y = testing::MakeCertificates(dir.path(), "partners CA", names);
  }
};

class Federation {
 public:
  Federation(const Pki& pki, int partners, bool bidi)
      : partners_(partners),
        x_({{kLocal}, pki.x, pki.y.ca_cert}),
        y_({Domains(partners), pki.y, pki.x.ca_cert}) {
    if (!bidi) {
      for (const AgentSite* site : {&x_, &y_}) {
        site->Cli(
            {"set-gateway-config", "--enable-bidirectional-streams", "false"});
      }
    }
    ImportPartners();
    y_.AddPartner(kLocal, x_.s2s_address(), SaslExternalPolicy());
    Connect(local_gateway_, x_, kLocal);
    local_arrivals_ = std::make_unique<MessageCounter>(local_gateway_.fd());
    partner_gateways_.resize(partners);
    for (int i = 0; i < partners; ++i) {
      partner_gateways_[i] = std::make_unique<RawComponent>();
      Connect(*partner_gateways_[i], y_, PartnerDomain(i));
      partner_arrivals_.push_back(
          std::make_unique<MessageCounter>(partner_gateways_[i]->fd()));
    }
  }

  // One message to each partner domain, then each one's answer.
  void Exchange(Figures* figures) {
    Clock::time_point start = Clock::now();
    for (int i = 0; i < partners_; ++i) {
      Send(local_gateway_,
           Message("alice@example.test", "bob@" + PartnerDomain(i), i));
    }
    for (int i = 0; i < partners_; ++i) Wait(*partner_arrivals_[i], 1);
    for (int i = 0; i < partners_; ++i) {
      Send(*partner_gateways_[i],
           Message("bob@" + PartnerDomain(i), "alice@example.test", i));
    }
    Wait(*local_arrivals_, partners_);
    (*figures)["exchange s"] = SecondsSince(start);
    (*figures)["connections"] =
        testing::EstablishedConnectionsTo({x_.s2s_address(), y_.s2s_address()});
    (*figures)["X streams"] = x_.AuthenticatedStreams("Inbound") +
                              x_.AuthenticatedStreams("Outbound");
    (*figures)["Y streams"] = y_.AuthenticatedStreams("Inbound") +
                              y_.AuthenticatedStreams("Outbound");
  }

  // `messages` per partner each way at once (X's gateway writes on this
  // thread, the partners' on another).
  void Load(uint64_t messages, Figures* figures) {
    uint64_t local_before = local_arrivals_->count();
    Clock::time_point start = Clock::now();
    std::thread partners_side([&] {
      for (uint64_t n = 0; n < messages; ++n) {
        for (int i = 0; i < partners_; ++i) {
          Send(*partner_gateways_[i],
               Message("bob@" + PartnerDomain(i), "alice@example.test", n));
        }
      }
    });
    for (uint64_t n = 0; n < messages; ++n) {
      std::string batch;
      for (int i = 0; i < partners_; ++i) {
        batch += Message("alice@example.test", "bob@" + PartnerDomain(i), n);
      }
      Send(local_gateway_, batch);
    }
    partners_side.join();
    for (int i = 0; i < partners_; ++i) {
      Wait(*partner_arrivals_[i], 1 + messages);
    }
    Wait(*local_arrivals_, local_before + messages * partners_);
    (*figures)["messages/s"] =
        2.0 * static_cast<double>(messages * partners_) / SecondsSince(start);
  }

 private:
  static std::vector<std::string> Domains(int partners) {
    std::vector<std::string> domains;
    for (int i = 0; i < partners; ++i) domains.push_back(PartnerDomain(i));
    return domains;
  }

  void ImportPartners() {
    std::string path = x_.dir() + "/partners.ndjson";
    {
      std::ofstream out(path, std::ios::trunc);
      for (int i = 0; i < partners_; ++i) {
        out << "{\"identity\":\"" << PartnerDomain(i)
            << "\",\"partnerType\":\"Federated\",\"proxyFqdn\":\""
            << y_.s2s_address()
            << "\",\"tlsNegotiation\":\"Required\","
               "\"saslNegotiation\":\"Required\","
               "\"supportDialbackNegotiation\":false}\n";
      }
    }
    x_.Cli({"import-partners", path, "--quiet", "-o", "ndjson"});
  }

  static void Connect(RawComponent& component, const AgentSite& site,
                      const std::string& domain) {
    if (!component.Connect(site.component_port(), domain, kComponentSecret)) {
      Die("component " + domain + ": " + component.error());
    }
  }
  static void Send(RawComponent& component, const std::string& bytes) {
    if (!component.Send(bytes)) Die("a component connection closed");
  }
  void Wait(const MessageCounter& arrivals, uint64_t target) {
    if (arrivals.WaitFor(target, kStall)) return;
    Die(std::to_string(arrivals.count()) + " messages arrived, " +
        std::to_string(target) + " expected\n--- X log tail:\n" + x_.LogTail() +
        "\n--- Y log tail:\n" + y_.LogTail());
  }

  int partners_;
  AgentSite x_;
  AgentSite y_;
  RawComponent local_gateway_;
  std::unique_ptr<MessageCounter> local_arrivals_;
  std::vector<std::unique_ptr<RawComponent>> partner_gateways_;
  std::vector<std::unique_ptr<MessageCounter>> partner_arrivals_;
};

Options Parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    std::string value = argv[i + 1];
    if (flag == "--runs") {
      options.runs = std::stoi(value);
    } else if (flag == "--partners") {
      options.partners = std::stoi(value);
    } else if (flag == "--messages") {
      options.messages = std::stoull(value);
    } else {
      Die("unknown option " + flag);
    }
  }
  return options;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

int Main(int argc, char** argv) {
  Options options = Parse(argc, argv);
  RaiseFileLimit();
  Pki pki(options.partners);
  std::map<std::string, std::map<std::string, std::vector<double>>> all;
  std::printf("%d partners, each exchanging 1 + %llu messages each way\n",
              options.partners,
              static_cast<unsigned long long>(options.messages));
  for (int run = 1; run <= options.runs; ++run) {
    // The order alternates so that the machine's drift hits both modes.
    for (bool bidi : run % 2 == 1 ? std::vector<bool>{true, false}
                                  : std::vector<bool>{false, true}) {
      std::string mode = bidi ? "bidi" : "without";
      Figures figures;
      {
        Federation federation(pki, options.partners, bidi);
        federation.Exchange(&figures);
        federation.Load(options.messages, &figures);
      }
      std::printf(
          "run %d %-7s connections %3.0f  streams X %3.0f Y %3.0f  "
          "exchange %.2f s  %.0f messages/s\n",
          run, mode.c_str(), figures["connections"], figures["X streams"],
          figures["Y streams"], figures["exchange s"], figures["messages/s"]);
      std::fflush(stdout);
      for (const auto& [name, value] : figures)
        all[mode][name].push_back(value);
    }
  }
  std::printf("medians:\n");
  for (const char* mode : {"bidi", "without"}) {
    std::printf("  %-7s connections %3.0f  exchange %.2f s  %.0f messages/s\n",
                mode, Median(all[mode]["connections"]),
                Median(all[mode]["exchange s"]),
                Median(all[mode]["messages/s"]));
  }
  std::printf(
      "ratios bidi / without: connections %.2f  exchange time %.2f  "
      "messages/s %.2f\n",
      Median(all["bidi"]["connections"]) /
          Median(all["without"]["connections"]),
      Median(all["bidi"]["exchange s"]) / Median(all["without"]["exchange s"]),
      Median(all["bidi"]["messages/s"]) / Median(all["without"]["messages/s"]));
  return 0;
}

}  // namespace
}  // namespace xmppfed::bench

int main(int argc, char** argv) {
  return xmppfed::bench::RunBench("bidi_bench", xmppfed::bench::Main, argc,
                                  argv);
}
