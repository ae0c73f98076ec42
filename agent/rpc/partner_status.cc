#include "agent/rpc/partner_status.h"

#include <string>
#include <utility>

namespace xmppfed::rpc {

void AttachFederationStatus(SessionSource* source,
                            const std::vector<v1::Partner*>& partners) {
  std::vector<v1::Partner*> present;
  std::vector<std::string> identities;
  for (v1::Partner* partner : partners) {
    if (partner == nullptr) continue;
    present.push_back(partner);
    identities.push_back(partner->identity());
  }
  if (present.empty()) return;
  std::vector<v1::PartnerFederationStatus> statuses;
  if (source != nullptr) statuses = source->FederationStatusOf(identities);
  for (size_t i = 0; i < present.size(); ++i) {
    v1::PartnerFederationStatus* status = present[i]->mutable_status();
    status->Clear();
    if (i < statuses.size()) *status = std::move(statuses[i]);
    // The identity is the partner's own: not repeated inside it.
    status->clear_partner();
  }
}

}  // namespace xmppfed::rpc
