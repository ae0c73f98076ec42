#include "agent/edge/sessions/authenticated_domains.h"

#include <set>
#include <utility>

#include "agent/edge/negotiation/dialback_receiving.h"

namespace xmppfed::edge {

void AuthenticatedDomains::Add(std::string domain, snapshot::PartnerRef partner,
                               AuthMethod method) {
  domains_.insert_or_assign(std::move(domain),
                            Entry{std::move(partner), method});
}

const AuthenticatedDomains::Entry* AuthenticatedDomains::Find(
    std::string_view domain) const {
  auto it = domains_.find(domain);
  return it == domains_.end() ? nullptr : &it->second;
}

std::vector<std::string> AuthenticatedDomains::Partners() const {
  std::set<std::string> identities;
  for (const auto& [domain, entry] : domains_) {
    identities.emplace(entry.partner->identity());
  }
  return {identities.begin(), identities.end()};
}

std::optional<std::string> AuthenticatedDomains::Recheck(
    const snapshot::PolicySnapshot& policy, bool tls_done) {
  for (auto& [domain, entry] : domains_) {
    snapshot::PartnerRef partner = policy.Partner(domain);
    if (partner == nullptr) return domain + " is no longer a partner";
    const policy::AllowedAuth& allowed = partner->allowed();
    if (!tls_done && allowed.tls_required) {
      return "the policy of " + std::string(partner->identity()) +
             " now requires TLS";
    }
    if (entry.method == AuthMethod::kSaslExternal && !allowed.sasl_external) {
      return "the policy of " + std::string(partner->identity()) +
             " no longer allows SASL EXTERNAL";
    }
    if (entry.method == AuthMethod::kDialback &&
        !DialbackAllowed(*partner, tls_done)) {
      return "the policy of " + std::string(partner->identity()) +
             " no longer allows dialback on this stream";
    }
    entry.partner = std::move(partner);
  }
  return std::nullopt;
}

}  // namespace xmppfed::edge
