#include "agent/edge/dns/srv_order.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"

namespace xmppfed::edge::dns {
namespace {

bool IsRoot(const std::string& target) {
  return target.empty() || target == ".";
}

std::string WithoutTrailingDot(std::string host) {
  if (!host.empty() && host.back() == '.') host.pop_back();
  return host;
}

// Appends the records of one priority to `ordered` in RFC 2782's weighted
// random order. `group` is consumed.
void AppendWeighted(std::vector<SrvRecord> group, std::mt19937_64& rng,
                    std::vector<Target>& ordered) {
  // Weight-0 records first, the others after, each in the order given.
  std::stable_partition(group.begin(), group.end(),
                        [](const SrvRecord& r) { return r.weight == 0; });
  while (!group.empty()) {
    uint32_t total = 0;
    for (const SrvRecord& record : group) total += record.weight;
    const uint32_t draw =
        std::uniform_int_distribution<uint32_t>(0, total)(rng);
    uint32_t running = 0;
    auto chosen = group.begin();
    for (; chosen != group.end(); ++chosen) {
      running += chosen->weight;
      if (running >= draw) break;
    }
    ordered.push_back({WithoutTrailingDot(std::move(chosen->target)),
                       chosen->port, chosen->direct_tls});
    // erase keeps the remaining records in their (zero-weights-first) order.
    group.erase(chosen);
  }
}

}  // namespace

absl::StatusOr<std::vector<Target>> OrderSrvRecords(
    std::vector<SrvRecord> records, std::mt19937_64& rng) {
  if (records.empty()) return std::vector<Target>();
  std::erase_if(records, [](const SrvRecord& r) { return IsRoot(r.target); });
  if (records.empty()) {
    return absl::NotFoundError(
        "the domain says it offers no XMPP server-to-server service");
  }
  std::stable_sort(records.begin(), records.end(),
                   [](const SrvRecord& a, const SrvRecord& b) {
                     return a.priority < b.priority;
                   });
  std::vector<Target> ordered;
  ordered.reserve(records.size());
  auto begin = records.begin();
  while (begin != records.end()) {
    auto end = std::find_if(begin, records.end(), [&](const SrvRecord& r) {
      return r.priority != begin->priority;
    });
    AppendWeighted(std::vector<SrvRecord>(std::make_move_iterator(begin),
                                          std::make_move_iterator(end)),
                   rng, ordered);
    begin = end;
  }
  return ordered;
}

absl::StatusOr<std::vector<Target>> MergeServiceRecords(
    std::vector<SrvRecord> starttls, std::vector<SrvRecord> direct_tls,
    std::mt19937_64& rng) {
  if (starttls.empty() && direct_tls.empty()) return std::vector<Target>();
  for (SrvRecord& record : starttls) record.direct_tls = false;
  for (SrvRecord& record : direct_tls) record.direct_tls = true;
  std::vector<SrvRecord> merged = std::move(starttls);
  merged.insert(merged.end(), std::make_move_iterator(direct_tls.begin()),
                std::make_move_iterator(direct_tls.end()));
  // One record set from here: "." alone in both (or in the only one
  // present) leaves nothing, which OrderSrvRecords reports as NotFound.
  return OrderSrvRecords(std::move(merged), rng);
}

}  // namespace xmppfed::edge::dns
