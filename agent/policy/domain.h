// Canonical forms of the names an operator types: partner domains (SPEC §2
// "Domain rules"), the proxyFqdn host, and get-partner's --filter glob.
//
// Every refusal is INVALID_ARGUMENT built by errors::InvalidField, so the
// message reads "<field>=<input>: <rule>" and the ErrorDetail names the field,
// the value as given and the rule in plain words.
#ifndef XMPPFED_AGENT_POLICY_DOMAIN_H_
#define XMPPFED_AGENT_POLICY_DOMAIN_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace xmppfed::policy {

inline constexpr std::size_t kMaxDomainOctets = 253;
inline constexpr std::size_t kMaxLabelOctets = 63;
inline constexpr std::size_t kMaxGlobLength = 1024;

// The canonical form of a partner domain, reported under `field` (the JSON
// key: "identity", "additionalDomains", ...):
//  * nothing is trimmed: whitespace and control characters are refused;
//  * ASCII is lower-cased and ONE trailing dot is dropped;
//  * internationalised labels become A-labels with libidn2 (IDNA2008,
//    UTS#46 non-transitional mapping, NFC input); U-labels and A-labels are
//    both accepted, and an A-label must be the exact, valid encoding of a
//    U-label ("xn--zz" is refused). The full stops U+3002, U+FF0E and U+FF61
//    separate labels like "." (UTS#46);
//  * then: at most 253 octets, labels of 1-63 octets of a-z, 0-9 and '-',
//    none starting or ending with '-', at least two labels. Other ASCII
//    labels with "--" in positions 3-4 ("ab--cd") are plain LDH to DNS and
//    are accepted as such;
//  * refused: IP literals (dotted IPv4, anything with ':' or brackets),
//    a port ("host:5269"), wildcards ('*'; see NormalizeAdditionalDomain),
//    empty labels, and an all-digit last
//    label (no top-level domain is numeric, RFC 3696 §2; such names read as
//    IPv4).
absl::StatusOr<std::string> NormalizeDomain(std::string_view field,
                                            std::string_view input);

// The canonical form of one of a partner's additional domains: a domain as
// NormalizeDomain makes it, or a wildcard "*.BASE" where BASE is such a
// domain (U-labels accepted, A-labels stored). The wildcard covers every
// subdomain of BASE at any depth, never BASE itself. '*' is allowed only as
// that whole leading label: "*", "*.com" (BASE of one label), "a.*.b.c",
// "*foo.b.c" and "*.*.b.c" are refused; "*.BASE" is at most 253 octets.
absl::StatusOr<std::string> NormalizeAdditionalDomain(std::string_view field,
                                                      std::string_view input);

// Whether `domain` (canonical) is a wildcard "*.BASE".
bool IsWildcardDomain(std::string_view domain);
// Whether the canonical wildcard "*.BASE" covers the canonical domain
// `domain`: `domain` ends with ".BASE" (BASE itself is not covered).
bool WildcardCovers(std::string_view wildcard, std::string_view domain);

// The canonical form of a proxyFqdn (field "proxyFqdn"): "" stays "";
// otherwise "host[:port]" where host is a domain under the rules above except
// that one label is enough ("localhost"), or an IPv4 literal ("192.0.2.7"),
// or a bracketed IPv6 literal ("[2001:db8::1]", printed in RFC 5952 form).
// The port, when given, is 1-65535 and is kept (without leading zeros).
// An IPv6 literal without brackets is refused: its port would be ambiguous.
// "tls://host[:port]" (the scheme case-insensitive, written lower-case)
// asks for XEP-0368 direct TLS to that host; any other scheme is refused.
absl::StatusOr<std::string> NormalizeProxyFqdn(std::string_view input);

// The ports of a proxyFqdn without one: RFC 6120's 5269 for STARTTLS, and
// 5270 for tls:// (XEP-0368 assigns none; 5270 is the one commonly used
// for direct TLS server-to-server, e.g. in Prosody's examples).
inline constexpr uint16_t kProxyDefaultPort = 5269;
inline constexpr uint16_t kProxyDirectTlsDefaultPort = 5270;

// Where a canonical proxyFqdn (NormalizeProxyFqdn's output, not "") points.
struct ProxyTarget {
  std::string host;  // without brackets: "192.0.2.7", "2001:db8::1", a name
  uint16_t port = kProxyDefaultPort;
  bool direct_tls = false;  // tls://
};
ProxyTarget ParseProxyFqdn(std::string_view canonical);

// The canonical form of a get-partner/remove-partner filter (field "filter"),
// an SQLite GLOB on identities: '*', '?', '[a-z]', '[^a-z]'. Lower-cased,
// because identities are stored lower-case and GLOB is case-sensitive.
// At most 1024 characters of printable ASCII (space included); non-ASCII is
// refused with a rule asking for the A-label form (xn--...), because stored
// identities are A-labels. Every '[' must be closed by ']' (a ']' right
// after '[' or '[^' is a member, as in SQLite). "" stays "" (no filter).
absl::StatusOr<std::string> NormalizeGlob(std::string_view input);

}  // namespace xmppfed::policy

#endif  // XMPPFED_AGENT_POLICY_DOMAIN_H_
