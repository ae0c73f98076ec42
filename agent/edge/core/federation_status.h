// Federation status per partner (get-partner, get-partner-status): when a
// stream with it last succeeded each way, its last failure (when, which
// step, why), how many attempts failed in a row, and its live streams. Kept
// in memory by the edge, on its loop thread (not thread-safe); the API
// reads a copy (Edge::FederationStatus). Lost at restart: it describes what
// this process saw.
#ifndef XMPPFED_AGENT_EDGE_CORE_FEDERATION_STATUS_H_
#define XMPPFED_AGENT_EDGE_CORE_FEDERATION_STATUS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace xmppfed::edge {

enum class StreamDirection { kInbound, kOutbound };

struct PartnerFederationStatus {
  std::string partner;  // identity
  // InfinitePast: never (since the agent started).
  absl::Time last_inbound_at = absl::InfinitePast();
  absl::Time last_outbound_at = absl::InfinitePast();
  absl::Time last_failure_at = absl::InfinitePast();
  // "Inbound" or "Outbound"; "" without a failure.
  std::string last_failure_direction;
  // Outbound: the step of test-partner that failed ("dns", "connect",
  // "stream", "starttls", "auth"); inbound: "stream", "starttls", "auth".
  std::string last_failure_step;
  std::string last_failure;
  // Failures since the last success (either way).
  uint32_t consecutive_failures = 0;
  uint32_t live_inbound = 0;
  uint32_t live_outbound = 0;

  // Failing now: the last attempt failed.
  bool failing() const { return consecutive_failures > 0; }
  // The later of the two successes (InfinitePast: none).
  absl::Time last_success_at() const {
    return std::max(last_inbound_at, last_outbound_at);
  }
};

class FederationStatusBook {
 public:
  // A stream with `partner` was authenticated.
  void Succeeded(const std::string& partner, StreamDirection direction,
                 absl::Time at);
  // An attempt with `partner` failed at `step`.
  void Failed(const std::string& partner, StreamDirection direction,
              const std::string& step, const std::string& reason,
              absl::Time at);
  // What is known of `partner` (all empty when nothing is).
  PartnerFederationStatus Of(const std::string& partner) const;
  // Forgets partners that no longer exist (`keep` says which do).
  template <typename Keep>
  void Prune(Keep keep) {
    std::erase_if(by_partner_,
                  [&](const auto& entry) { return !keep(entry.first); });
  }

 private:
  std::map<std::string, PartnerFederationStatus> by_partner_;
};

// Most trouble first: failing partners, then more consecutive failures,
// then the oldest last success (never before any), then by identity.
void SortByTrouble(std::vector<PartnerFederationStatus>& statuses);

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_CORE_FEDERATION_STATUS_H_
