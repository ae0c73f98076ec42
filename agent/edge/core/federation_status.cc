#include "agent/edge/core/federation_status.h"

#include <algorithm>
#include <tuple>

namespace xmppfed::edge {

void FederationStatusBook::Succeeded(const std::string& partner,
                                     StreamDirection direction, absl::Time at) {
  PartnerFederationStatus& status = by_partner_[partner];
  status.partner = partner;
  (direction == StreamDirection::kInbound ? status.last_inbound_at
                                          : status.last_outbound_at) = at;
  status.consecutive_failures = 0;
}

void FederationStatusBook::Failed(const std::string& partner,
                                  StreamDirection direction,
                                  const std::string& step,
                                  const std::string& reason, absl::Time at) {
  PartnerFederationStatus& status = by_partner_[partner];
  status.partner = partner;
  status.last_failure_at = at;
  status.last_failure_direction =
      direction == StreamDirection::kInbound ? "Inbound" : "Outbound";
  status.last_failure_step = step;
  status.last_failure = reason;
  ++status.consecutive_failures;
}

PartnerFederationStatus FederationStatusBook::Of(
    const std::string& partner) const {
  auto found = by_partner_.find(partner);
  if (found != by_partner_.end()) return found->second;
  PartnerFederationStatus none;
  none.partner = partner;
  return none;
}

void SortByTrouble(std::vector<PartnerFederationStatus>& statuses) {
  std::sort(
      statuses.begin(), statuses.end(),
      [](const PartnerFederationStatus& a, const PartnerFederationStatus& b) {
        return std::make_tuple(!a.failing(), -int64_t{a.consecutive_failures},
                               a.last_success_at(), a.partner) <
               std::make_tuple(!b.failing(), -int64_t{b.consecutive_failures},
                               b.last_success_at(), b.partner);
      });
}

}  // namespace xmppfed::edge
