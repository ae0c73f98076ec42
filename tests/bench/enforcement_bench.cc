// enforcement_bench: how long a committed policy change takes to be
// enforced on a live stream (issue 10's target: under 100 ms at 100,000
// partners), against the same with 10 partners stored, in one run.
//
//   enforcement_bench [--partners N] [--rounds R]
//
// For N partners (each with 10 domains) and for 10, a store is written
// directly (one transaction), then a real agent starts on it. Partner
// target.test (dialback only, Federated) has its authoritative server in
// this program. Each round:
//   1. a scripted peer opens an inbound S2S stream as target.test and
//      authenticates it by dialback;
//   2. `xmppfed set-partner target.test` makes the policy stricter (TLS and
//      SASL Required, no dialback): the stream must be closed;
//   3. measured: from the CLI's start to the stream's close at the peer
//      ("enforced"), and the CLI's own run ("acknowledged"); the floor is
//      the same CLI call that changes only the description.
// Then the policy is relaxed again (not measured) for the next round.
// Prints medians and p90s, and the agent's own patch time (policy.patched
// took_us) from its log.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "agent/store/store.h"
#include "tests/support/agent_process.h"
#include "tests/support/cli.h"
#include "tests/support/raw_stream.h"
#include "tests/support/temp_dir.h"

namespace {

using Clock = std::chrono::steady_clock;
using xmppfed::testing::AgentProcess;
using xmppfed::testing::CliResult;
using xmppfed::testing::RawStream;
using xmppfed::testing::RunCli;
using xmppfed::testing::ScriptedAuthoritativeServer;
using xmppfed::testing::ServerStreamHeader;
using xmppfed::testing::TempDir;

double Ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

struct Quantiles {
  double p50;
  double p90;
};

Quantiles Of(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return {values[values.size() / 2], values[values.size() * 9 / 10]};
}

xmppfed::v1::Partner Filler(long i) {
  xmppfed::v1::Partner partner;
  std::string base = "partner-" + std::to_string(i) + ".bench.example";
  partner.set_identity(base);
  for (int d = 1; d < 10; ++d) {
    partner.add_additional_domains("d" + std::to_string(d) + "." + base);
  }
  partner.set_partner_type(xmppfed::v1::PARTNER_TYPE_FEDERATED);
  partner.set_tls_negotiation(xmppfed::v1::NEGOTIATION_REQUIRED);
  partner.set_sasl_negotiation(xmppfed::v1::NEGOTIATION_REQUIRED);
  partner.set_support_dialback_negotiation(false);
  partner.set_enable_keep_alive(true);
  return partner;
}

bool WriteStore(const std::string& path, long partners, uint16_t target_port) {
  absl::StatusOr<std::unique_ptr<xmppfed::store::Store>> store =
      xmppfed::store::OpenStore("sqlite:" + path);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return false;
  }
  absl::Status written = (*store)->RunPartnerTransaction(
      [&](xmppfed::store::PartnerTransaction& txn)
          -> absl::StatusOr<xmppfed::store::TransactionEnd> {
        for (long i = 0; i < partners; ++i) {
          absl::StatusOr<xmppfed::v1::Partner> created =
              txn.CreatePartner(Filler(i));
          if (!created.ok()) return created.status();
        }
        xmppfed::v1::Partner target = Filler(-1);
        target.set_identity("target.test");
        target.clear_additional_domains();
        target.set_tls_negotiation(xmppfed::v1::NEGOTIATION_NOT_SUPPORTED);
        target.set_sasl_negotiation(xmppfed::v1::NEGOTIATION_NOT_SUPPORTED);
        target.set_support_dialback_negotiation(true);
        target.set_proxy_fqdn("127.0.0.1:" + std::to_string(target_port));
        absl::StatusOr<xmppfed::v1::Partner> created =
            txn.CreatePartner(target);
        if (!created.ok()) return created.status();
        return xmppfed::store::TransactionEnd::kCommit;
      });
  if (!written.ok()) {
    std::fprintf(stderr, "%s\n", written.ToString().c_str());
    return false;
  }
  return true;
}

struct Figures {
  Quantiles enforced;
  Quantiles acknowledged;
  Quantiles floor;
  Quantiles patch_us;
};

bool Measure(long partners, int rounds, Figures* figures) {
  TempDir dir("enforcement-bench");
  ScriptedAuthoritativeServer authority("target.test", "valid");
  Clock::time_point written_at = Clock::now();
  if (!WriteStore(dir.path() + "/xmppfed.db", partners, authority.port())) {
    return false;
  }
  std::printf("  %ld partners written in %.1f s\n", partners,
              Ms(Clock::now() - written_at) / 1000);
  AgentProcess agent(dir.path());
  agent.ReplaceArgs({"--socket", agent.socket_path(), "--store",
                     agent.store_uri(), "--domain", "local.test",
                     "--s2s-listen", "127.0.0.1:0", "--component-listen",
                     "off"});
  if (::testing::AssertionResult started = agent.Start(); !started) {
    std::fprintf(stderr, "%s\n", started.message());
    return false;
  }
  CliResult info = RunCli({"get-agent", "-o", "json"}, agent.socket_path());
  std::smatch port;
  if (!std::regex_search(
          info.out, port,
          std::regex("\"s2s\",\\s*\"address\":\\s*\"127.0.0.1:(\\d+)"))) {
    std::fprintf(stderr, "no s2s address in %s\n", info.out.c_str());
    return false;
  }
  uint16_t s2s = static_cast<uint16_t>(std::stoi(port[1]));
  std::vector<double> enforced, acknowledged, floor;
  for (int round = 0; round < rounds; ++round) {
    RawStream peer(s2s);
    peer.Send(ServerStreamHeader("target.test", "local.test"));
    peer.Send("<db:result from='target.test' to='local.test'>key</db:result>");
    if (!peer.ReadUntil("type='valid'")) {
      std::fprintf(stderr, "no stream: %s\n%s\n", peer.received().c_str(),
                   agent.Log().c_str());
      return false;
    }
    Clock::time_point start = Clock::now();
    Clock::time_point closed_at;
    std::thread watcher([&] {
      peer.ReadUntilClosed(std::chrono::seconds(10));
      closed_at = Clock::now();
    });
    CliResult strict =
        RunCli({"set-partner", "target.test", "--tls-negotiation", "Required",
                "--sasl-negotiation", "Required",
                "--support-dialback-negotiation", "false", "--quiet"},
               agent.socket_path());
    Clock::time_point acknowledged_at = Clock::now();
    watcher.join();
    if (strict.exit_code != 0 || !peer.peer_closed()) {
      std::fprintf(stderr, "round %d: not enforced\n", round);
      return false;
    }
    enforced.push_back(Ms(closed_at - start));
    acknowledged.push_back(Ms(acknowledged_at - start));
    RunCli({"set-partner", "target.test", "--tls-negotiation", "NotSupported",
            "--sasl-negotiation", "NotSupported",
            "--support-dialback-negotiation", "true", "--quiet"},
           agent.socket_path());
    Clock::time_point floor_start = Clock::now();
    RunCli({"set-partner", "target.test", "--description",
            "round " + std::to_string(round), "--quiet"},
           agent.socket_path());
    floor.push_back(Ms(Clock::now() - floor_start));
  }
  std::vector<double> patch_us;
  std::string log = agent.Log();
  std::regex took(
      "policy\\.patched revision=\\d+ upserted=1 removed=0 "
      "took_us=(\\d+)");
  for (auto it = std::sregex_iterator(log.begin(), log.end(), took);
       it != std::sregex_iterator(); ++it) {
    patch_us.push_back(std::stod((*it)[1]));
  }
  figures->enforced = Of(enforced);
  figures->acknowledged = Of(acknowledged);
  figures->floor = Of(floor);
  figures->patch_us = patch_us.empty() ? Quantiles{0, 0} : Of(patch_us);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  long partners = 100000;
  int rounds = 20;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--partners") == 0) {
      partners = std::atol(argv[i + 1]);
    } else if (std::strcmp(argv[i], "--rounds") == 0) {
      rounds = std::atoi(argv[i + 1]);
    } else {
      std::fprintf(stderr, "unknown option %s\n", argv[i]);
      return 2;
    }
  }
  Figures small, large;
  std::printf("10 partners:\n");
  if (!Measure(10, rounds, &small)) return 1;
  std::printf("%ld partners:\n", partners);
  if (!Measure(partners, rounds, &large)) return 1;
  auto line = [](const char* name, long n, const Figures& f) {
    std::printf(
        "  %-8s %7ld partners: enforced p50 %.1f ms p90 %.1f ms; "
        "acknowledged p50 %.1f ms; floor (description only) p50 %.1f ms; "
        "patch p50 %.0f us p90 %.0f us\n",
        name, n, f.enforced.p50, f.enforced.p90, f.acknowledged.p50,
        f.floor.p50, f.patch_us.p50, f.patch_us.p90);
  };
  std::printf("set-partner (stricter) -> live stream closed, %d rounds:\n",
              rounds);
  line("baseline", 10, small);
  line("large", partners, large);
  std::printf("  ratio enforced p50 large/baseline: %.2f\n",
              large.enforced.p50 / small.enforced.p50);
  std::printf(
      "FIGURE enforced_p50_ms %.3f\nFIGURE enforced_p90_ms %.3f\n"
      "FIGURE baseline_enforced_p50_ms %.3f\nFIGURE floor_p50_ms "
      "%.3f\nFIGURE patch_p50_us %.0f\n",
      large.enforced.p50, large.enforced.p90, small.enforced.p50,
      large.floor.p50, large.patch_us.p50);
  return 0;
}
