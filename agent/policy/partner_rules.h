// The partner object's defaults and field rules (SPEC §2), without the
// store: domain ownership and the agent's own local domains are checked by
// the service, which knows them.
#ifndef XMPPFED_AGENT_POLICY_PARTNER_RULES_H_
#define XMPPFED_AGENT_POLICY_PARTNER_RULES_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "xmppfed/v1/limits.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::policy {

inline constexpr std::size_t kMaxDescriptionCharacters = 1024;
inline constexpr std::size_t kMaxAdditionalDomains = 1000;
inline constexpr uint32_t kMaxPartnerConnectionLimit =
    v1::kMaxPartnerConnectionLimit;

// A partner with the spec's defaults: description "", no additional
// domains, PublicUnverified, TLS Required, SASL Required, dialback on,
// proxyFqdn "", keep-alive on, connectionLimit 0 (= the gateway's
// partnerConnectionLimit), revision 0, no timestamps. `identity` is taken as
// given: normalise it with NormalizeDomain("identity", ...) first.
v1::Partner DefaultPartner(std::string identity);

// Applies the fields present in `fields` to `*partner` and returns the
// negotiation table's warnings. Absent fields keep their value.
//
//  * additionalDomains: `additional_domains` replaces the list, then
//    `add_additional_domains` adds (a domain already there is a no-op), then
//    `remove_additional_domains` removes (a domain not in the list is
//    refused, naming it). Every domain is normalised under the field
//    "additionalDomains"; the result is deduplicated and sorted, may not
//    hold the partner's identity, and has at most 1000 entries. When none of
//    the three is present the stored list is left exactly as it is.
//  * description: valid UTF-8, no control characters (C0, DEL, C1, which
//    includes tab and newline), at most 1024 characters (code points).
//  * partnerType, tlsNegotiation, saslNegotiation: a defined value other
//    than UNSPECIFIED.
//  * proxyFqdn: NormalizeProxyFqdn; a tls:// one is refused while
//    tlsNegotiation is NotSupported (either field given). connectionLimit: at
//    most 100000.
//  * Last, the negotiation table on the result (CheckNegotiation). Its
//    warnings are returned only when `fields` sets a value they are about:
//    tlsNegotiation or saslNegotiation for either, supportDialbackNegotiation
//    for "Dialback will not operate ...".
//
// Errors are INVALID_ARGUMENT from errors::InvalidField/FieldError, naming
// the JSON field and the value as given. On error `*partner` may have been
// partly modified: callers apply the fields to a copy and keep it only on
// success.
absl::StatusOr<std::vector<std::string>> ApplyPartnerFields(
    const v1::PartnerFields& fields, v1::Partner* partner);

}  // namespace xmppfed::policy

#endif  // XMPPFED_AGENT_POLICY_PARTNER_RULES_H_
