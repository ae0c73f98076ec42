// Whether a certificate identifies an XMPP server domain: the reference
// identity checks of RFC 6125 as RFC 6120 §13.7.1.2 and RFC 7590 §3.2 apply
// them to server-to-server streams. Pure functions over an X509; whether the
// chain is trusted (anchors, validity dates) is the TLS channel's verdict
// (TlsChannel::peer_chain_trusted), not this unit's.
//
// The reference identifier is always the domain the stream is for (the
// stream header's `from` inbound, the partner domain outbound), never a
// DNS SRV target or proxyFqdn host. The presented identifiers checked, in
// the certificate's subjectAltName:
//   * DNS-ID (dNSName): equal to the domain, ASCII case-insensitively
//     (A-labels); "*" is allowed only as the whole left-most label, matches
//     exactly one label, and needs at least two labels after it (so
//     "*.example.test" matches "a.example.test" but neither "example.test"
//     nor "a.b.example.test"; "f*.example.test", "*.test" and "a.*.test"
//     match nothing).
//   * SRV-ID (otherName id-on-dnsSRV, 1.3.6.1.5.5.7.8.7, RFC 4985):
//     "_xmpp-server.<domain>", no wildcard.
//   * XmppAddr (otherName id-on-xmppAddr, 1.3.6.1.5.5.7.8.5, UTF8String):
//     the bare domain, compared after converting U-labels to A-labels.
//   * The subject's Common Name, used as a DNS-ID only when the certificate
//     has no subjectAltName of the types above nor a URI (RFC 6125 §6.4.4:
//     a certificate that presents SANs is judged by them alone). Kept
//     because such certificates still exist among XMPP servers; Prosody
//     accepts them the same way.
#ifndef XMPPFED_AGENT_EDGE_TLS_IDENTITY_H_
#define XMPPFED_AGENT_EDGE_TLS_IDENTITY_H_

#include <openssl/x509.h>

#include <string_view>

namespace xmppfed::edge::tls {

// Which presented identifier matched (the first kind found in the order
// DNS-ID, SRV-ID, XmppAddr, CN), or kNone.
enum class IdentityMatch { kNone, kDnsId, kSrvId, kXmppAddr, kCommonName };

// "none", "DNS-ID", "SRV-ID", "XmppAddr", "CN" (for logs).
std::string_view IdentityMatchName(IdentityMatch match);

// Whether `cert` identifies the XMPP server `domain` (an A-label domain;
// case and a trailing dot do not matter). A null `cert` matches nothing.
IdentityMatch MatchXmppServerIdentity(X509* cert, std::string_view domain);

// One DNS-ID (or CN) pattern against a domain, with the wildcard rule above.
bool DnsIdMatches(std::string_view pattern, std::string_view domain);

}  // namespace xmppfed::edge::tls

#endif  // XMPPFED_AGENT_EDGE_TLS_IDENTITY_H_
