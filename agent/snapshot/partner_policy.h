// One partner as the policy snapshot keeps it: everything of v1::Partner in
// a compact, immutable form (the domains in one buffer), with the row of the
// negotiation table it selects computed once. 100,000 partners with ten
// domains each are held by every edge in memory, so the form matters.
#ifndef XMPPFED_AGENT_SNAPSHOT_PARTNER_POLICY_H_
#define XMPPFED_AGENT_SNAPSHOT_PARTNER_POLICY_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "agent/policy/negotiation.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::snapshot {

class PartnerPolicy {
 public:
  // `partner` as stored (identity and additional domains normalised).
  explicit PartnerPolicy(const v1::Partner& partner);
  PartnerPolicy(const PartnerPolicy&) = delete;
  PartnerPolicy& operator=(const PartnerPolicy&) = delete;

  std::string_view identity() const {
    return std::string_view(domains_.data(), identity_size_);
  }
  // The identity first, then the additional domains in stored order, until
  // `visit` returns false. The views live as long as this object.
  void ForEachDomain(const std::function<bool(std::string_view)>& visit) const;
  size_t domain_count() const { return domain_count_; }

  v1::PartnerType type() const { return type_; }
  v1::Negotiation tls_negotiation() const { return tls_; }
  v1::Negotiation sasl_negotiation() const { return sasl_; }
  bool support_dialback() const { return dialback_; }
  // What the edge allows on a stream with this partner (SPEC §2's table).
  const policy::AllowedAuth& allowed() const { return allowed_; }
  std::string_view proxy_fqdn() const { return proxy_fqdn_; }
  bool enable_keep_alive() const { return keep_alive_; }
  // The partner's own limit; 0 means the gateway's partnerConnectionLimit.
  uint32_t connection_limit() const { return connection_limit_; }
  uint64_t revision() const { return revision_; }

  // The stored form again, as the store would return it.
  v1::Partner ToProto() const;

 private:
  // identity, then each additional domain, each followed by '\0'.
  std::string domains_;
  uint32_t identity_size_;
  uint32_t domain_count_;
  std::string description_;
  std::string proxy_fqdn_;
  v1::PartnerType type_;
  v1::Negotiation tls_;
  v1::Negotiation sasl_;
  bool dialback_;
  bool keep_alive_;
  uint32_t connection_limit_;
  policy::AllowedAuth allowed_;
  uint64_t revision_;
  int64_t created_at_us_;
  int64_t modified_at_us_;
};

}  // namespace xmppfed::snapshot

#endif  // XMPPFED_AGENT_SNAPSHOT_PARTNER_POLICY_H_
