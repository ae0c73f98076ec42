#include "agent/snapshot/policy_snapshot.h"

#include <algorithm>
#include <utility>

#include "agent/policy/gateway_rules.h"

namespace xmppfed::snapshot {

PolicySnapshot::PolicySnapshot(std::vector<std::string> local_domains)
    : local_domains_(std::move(local_domains)),
      gateway_(policy::DefaultGatewayConfig()) {}

const PartnerPolicy* PolicySnapshot::PartnerFor(std::string_view domain) const {
  if (const PartnerPolicy* exact = partners_.Find(domain); exact != nullptr) {
    return exact;
  }
  // The store refuses a wildcard covering a local domain; one written before
  // the agent took that domain on still does not take it.
  if (IsLocal(domain)) return nullptr;
  return partners_.FindWildcard(domain);
}

PartnerRef PolicySnapshot::Partner(std::string_view domain) const {
  const PartnerPolicy* partner = PartnerFor(domain);
  if (partner == nullptr) return nullptr;
  return partners_.FindIdentity(partner->identity());
}

bool PolicySnapshot::IsLocal(std::string_view domain) const {
  return std::find(local_domains_.begin(), local_domains_.end(), domain) !=
         local_domains_.end();
}

uint32_t PolicySnapshot::ConnectionLimitFor(
    const PartnerPolicy& partner) const {
  return partner.connection_limit() != 0 ? partner.connection_limit()
                                         : gateway_.partner_connection_limit();
}

void PolicySnapshot::UpsertPartner(const v1::Partner& partner) {
  partners_.Upsert(std::make_shared<const PartnerPolicy>(partner));
}

void PolicySnapshot::RemovePartner(std::string_view identity) {
  partners_.Remove(identity);
}

void PolicySnapshot::SetGateway(const v1::GatewayConfig& gateway,
                                std::string secret) {
  gateway_ = policy::WithGatewayDefaults(gateway);
  dialback_secret_ = std::move(secret);
}

}  // namespace xmppfed::snapshot
