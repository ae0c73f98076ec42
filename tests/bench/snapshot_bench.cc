// snapshot_bench: the policy snapshot at scale (issue 10), in-process:
//
//   snapshot_bench [--partners N] [--domains D] [--wildcards W] [--store DIR]
//
// N partners (default 100,000) with D domains each (default 10: the
// identity and D-1 additional domains) are
//   build   inserted into an empty PolicySnapshot: time, and heap bytes
//           (mallinfo2) per partner and per domain; floor: the same domain
//           strings copied into an absl::flat_hash_map<std::string, int>;
//   patch   one partner updated (a copy of the last snapshot, patched):
//           median and p99 over 1000 patches, and the ratio to a full
//           rebuild;
//   lookup  PartnerFor() of random domains, ns per lookup; floor: find()
//           in the floor's map.
//   wildcard W more partners (default 10,000), each with one wildcard
//           additional domain "*.wI.bench.example", added to the snapshot:
//           PartnerFor() of exact domains again, of subdomains one and three
//           labels below a wildcard, and of names nobody covers (every
//           suffix looked up), each against the exact lookups of the
//           snapshot without wildcards, in ns and as a ratio.
// With --store DIR the partners are also written to an SQLite store in DIR
// (one transaction), and the keeper's start (full read + build) is timed:
// what an agent spends before it serves.
// Prints one "FIGURE name value" line per figure after a readable summary.
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "agent/snapshot/policy_keeper.h"
#include "agent/snapshot/policy_snapshot.h"
#include "agent/store/store.h"

namespace {

using Clock = std::chrono::steady_clock;
using xmppfed::snapshot::PolicySnapshot;

double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

size_t HeapInUse() { return mallinfo2().uordblks; }

xmppfed::v1::Partner MakePartner(long i, int domains) {
  xmppfed::v1::Partner partner;
  std::string base = "partner-" + std::to_string(i) + ".bench.example";
  partner.set_identity(base);
  for (int d = 1; d < domains; ++d) {
    partner.add_additional_domains("d" + std::to_string(d) + "." + base);
  }
  partner.set_partner_type(xmppfed::v1::PARTNER_TYPE_FEDERATED);
  partner.set_tls_negotiation(xmppfed::v1::NEGOTIATION_REQUIRED);
  partner.set_sasl_negotiation(xmppfed::v1::NEGOTIATION_OPTIONAL);
  partner.set_support_dialback_negotiation(true);
  partner.set_enable_keep_alive(true);
  partner.set_revision(1);
  return partner;
}

void Figure(const char* name, double value) {
  std::printf("FIGURE %s %.6g\n", name, value);
}

// ns per PartnerFor() over `probes`; `expect_found` says whether each must
// resolve (a wrong answer makes the run fail rather than report).
double LookupNs(const PolicySnapshot& snapshot,
                const std::vector<std::string>& probes, bool expect_found,
                bool* wrong) {
  size_t found = 0;
  Clock::time_point start = Clock::now();
  for (const std::string& probe : probes) {
    found += snapshot.PartnerFor(probe) != nullptr;
  }
  double ns = Seconds(Clock::now() - start) * 1e9 / probes.size();
  if (found != (expect_found ? probes.size() : 0)) *wrong = true;
  return ns;
}

// The "wildcard" figures (see the top of the file); false on a wrong
// lookup.
bool MeasureWildcards(const PolicySnapshot& exact_only,
                      const std::vector<std::string>& exact_probes,
                      long wildcards, std::mt19937_64& random) {
  PolicySnapshot with(exact_only);
  for (long i = 0; i < wildcards; ++i) {
    xmppfed::v1::Partner partner =
        MakePartner(-1 - i, 1);  // identity partner--I.bench.example
    partner.add_additional_domains("*.w" + std::to_string(i) +
                                   ".bench.example");
    with.UpsertPartner(partner);
  }
  std::vector<std::string> shallow, deep, missed;
  for (size_t i = 0; i < exact_probes.size(); ++i) {
    std::string base =
        "w" + std::to_string(random() % wildcards) + ".bench.example";
    shallow.push_back("conference." + base);
    deep.push_back("a.b.conference." + base);
    missed.push_back("conference.x" + std::to_string(i) + ".nobody.example");
  }
  bool wrong = false;
  double exact_only_ns = LookupNs(exact_only, exact_probes, true, &wrong);
  double exact_ns = LookupNs(with, exact_probes, true, &wrong);
  double shallow_ns = LookupNs(with, shallow, true, &wrong);
  double deep_ns = LookupNs(with, deep, true, &wrong);
  double missed_ns = LookupNs(with, missed, false, &wrong);
  if (wrong) {
    std::fprintf(stderr, "a wildcard lookup gave a wrong answer\n");
    return false;
  }
  std::printf(
      "  wildcard %ld wildcards added; per lookup: exact %.1f ns (%.2fx the "
      "exact-only snapshot's %.1f ns), subdomain one label below %.1f ns "
      "(%.2fx), three labels below %.1f ns (%.2fx), covered by none %.1f ns "
      "(%.2fx)\n",
      wildcards, exact_ns, exact_ns / exact_only_ns, exact_only_ns, shallow_ns,
      shallow_ns / exact_only_ns, deep_ns, deep_ns / exact_only_ns, missed_ns,
      missed_ns / exact_only_ns);
  Figure("exact_only_lookup_ns", exact_only_ns);
  Figure("wildcard_exact_lookup_ns", exact_ns);
  Figure("wildcard_subdomain_lookup_ns", shallow_ns);
  Figure("wildcard_deep_subdomain_lookup_ns", deep_ns);
  Figure("wildcard_miss_lookup_ns", missed_ns);
  Figure("wildcard_subdomain_ratio", shallow_ns / exact_only_ns);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  long partners = 100000;
  int domains = 10;
  long wildcards = 10000;
  std::string store_dir;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--partners") == 0) {
      partners = std::atol(argv[i + 1]);
    } else if (std::strcmp(argv[i], "--domains") == 0) {
      domains = std::atoi(argv[i + 1]);
    } else if (std::strcmp(argv[i], "--wildcards") == 0) {
      wildcards = std::atol(argv[i + 1]);
    } else if (std::strcmp(argv[i], "--store") == 0) {
      store_dir = argv[i + 1];
    } else {
      std::fprintf(stderr, "unknown option %s\n", argv[i]);
      return 2;
    }
  }
  std::vector<xmppfed::v1::Partner> input;
  input.reserve(partners);
  for (long i = 0; i < partners; ++i) input.push_back(MakePartner(i, domains));
  long total_domains = partners * domains;

  // Floor: the domain strings alone in a hash map.
  size_t heap_before_floor = HeapInUse();
  Clock::time_point start = Clock::now();
  auto floor = std::make_unique<absl::flat_hash_map<std::string, int>>();
  for (const auto& partner : input) {
    (*floor)[partner.identity()] = 1;
    for (const std::string& d : partner.additional_domains()) (*floor)[d] = 1;
  }
  double floor_build_s = Seconds(Clock::now() - start);
  size_t floor_bytes = HeapInUse() - heap_before_floor;

  size_t heap_before = HeapInUse();
  start = Clock::now();
  auto built = std::make_shared<PolicySnapshot>(
      std::vector<std::string>{"local.example"});
  for (const auto& partner : input) built->UpsertPartner(partner);
  double build_s = Seconds(Clock::now() - start);
  size_t snapshot_bytes = HeapInUse() - heap_before;
  std::shared_ptr<const PolicySnapshot> current = built;

  // Patches: each a copy of the current snapshot with one partner changed.
  std::mt19937_64 random(42);
  std::vector<double> patch_us;
  for (int i = 0; i < 1000; ++i) {
    xmppfed::v1::Partner changed = input[random() % input.size()];
    changed.set_revision(2 + i);
    changed.set_description("patched");
    start = Clock::now();
    auto next = std::make_shared<PolicySnapshot>(*current);
    next->UpsertPartner(changed);
    current = std::move(next);
    patch_us.push_back(Seconds(Clock::now() - start) * 1e6);
  }
  std::sort(patch_us.begin(), patch_us.end());
  double patch_p50 = patch_us[patch_us.size() / 2];
  double patch_p99 = patch_us[patch_us.size() * 99 / 100];

  // Lookups of random domains (each exists), against the floor's map.
  std::vector<std::string> probes;
  for (int i = 0; i < 200000; ++i) {
    const auto& partner = input[random() % input.size()];
    int d = static_cast<int>(random() % domains);
    probes.push_back(d == 0 ? partner.identity()
                            : partner.additional_domains(d - 1));
  }
  size_t found = 0;
  start = Clock::now();
  for (const std::string& probe : probes) {
    found += current->PartnerFor(probe) != nullptr;
  }
  double lookup_ns = Seconds(Clock::now() - start) * 1e9 / probes.size();
  start = Clock::now();
  for (const std::string& probe : probes) found += floor->count(probe);
  double floor_lookup_ns = Seconds(Clock::now() - start) * 1e9 / probes.size();
  if (found != 2 * probes.size()) {
    std::fprintf(stderr, "lookups missed: %zu of %zu\n", found,
                 2 * probes.size());
    return 1;
  }

  std::printf("%ld partners x %d domains (%ld domains)\n", partners, domains,
              total_domains);
  std::printf(
      "  build   %.3f s, %.1f MiB (%.0f B/partner, %.0f B/domain); "
      "floor (domains in a flat_hash_map) %.3f s, %.1f MiB\n",
      build_s, snapshot_bytes / 1048576.0,
      static_cast<double>(snapshot_bytes) / partners,
      static_cast<double>(snapshot_bytes) / total_domains, floor_build_s,
      floor_bytes / 1048576.0);
  std::printf(
      "  patch   p50 %.1f us, p99 %.1f us per one-partner change "
      "(%.5f of a full build)\n",
      patch_p50, patch_p99, patch_p50 / (build_s * 1e6));
  std::printf("  lookup  %.1f ns per domain; floor %.1f ns (%.2fx)\n",
              lookup_ns, floor_lookup_ns, lookup_ns / floor_lookup_ns);
  Figure("build_s", build_s);
  Figure("build_mib", snapshot_bytes / 1048576.0);
  Figure("bytes_per_domain",
         static_cast<double>(snapshot_bytes) / total_domains);
  Figure("floor_build_s", floor_build_s);
  Figure("floor_mib", floor_bytes / 1048576.0);
  Figure("patch_p50_us", patch_p50);
  Figure("patch_p99_us", patch_p99);
  Figure("lookup_ns", lookup_ns);
  Figure("floor_lookup_ns", floor_lookup_ns);
  if (wildcards > 0 && !MeasureWildcards(*current, probes, wildcards, random)) {
    return 1;
  }

  if (store_dir.empty()) return 0;
  absl::StatusOr<std::unique_ptr<xmppfed::store::Store>> store =
      xmppfed::store::OpenStore("sqlite:" + store_dir + "/xmppfed.db");
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  start = Clock::now();
  absl::Status written = (*store)->RunPartnerTransaction(
      [&](xmppfed::store::PartnerTransaction& txn)
          -> absl::StatusOr<xmppfed::store::TransactionEnd> {
        for (const auto& partner : input) {
          absl::StatusOr<xmppfed::v1::Partner> created =
              txn.CreatePartner(partner);
          if (!created.ok()) return created.status();
        }
        return xmppfed::store::TransactionEnd::kCommit;
      });
  if (!written.ok()) {
    std::fprintf(stderr, "%s\n", written.ToString().c_str());
    return 1;
  }
  double write_s = Seconds(Clock::now() - start);
  input.clear();
  floor.reset();
  built.reset();
  current.reset();
  start = Clock::now();
  absl::StatusOr<std::unique_ptr<xmppfed::snapshot::PolicyKeeper>> keeper =
      xmppfed::snapshot::PolicyKeeper::Start(store->get(), {"local.example"});
  double keeper_s = Seconds(Clock::now() - start);
  if (!keeper.ok()) {
    std::fprintf(stderr, "%s\n", keeper.status().ToString().c_str());
    return 1;
  }
  std::printf(
      "  store   written in %.1f s (one transaction); keeper start "
      "(read + build) %.2f s\n",
      write_s, keeper_s);
  Figure("keeper_start_s", keeper_s);
  return 0;
}
