// The negotiation table of SPEC §2: for each of the 18 combinations of
// tlsNegotiation x saslNegotiation x supportDialbackNegotiation, what the edge
// negotiates and whether the combination is fine, saved with a warning, or
// refused. One table serves create, set and import (via CheckNegotiation)
// and the edge (via AllowedAuthFor), so the two can never disagree.
#ifndef XMPPFED_AGENT_POLICY_NEGOTIATION_H_
#define XMPPFED_AGENT_POLICY_NEGOTIATION_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::policy {

// The spec's texts, word for word.
inline constexpr std::string_view kDialbackInoperativeWarning =
    "Dialback will not operate if both SASL and TLS are required.";
inline constexpr std::string_view kOptionalTlsWarning =
    "SASL requires TLS. Allowing TLS to be optional may result in failed "
    "session negotiations.";
inline constexpr std::string_view kNoAuthenticationRule =
    "SASL or Dialback must be enabled.";
inline constexpr std::string_view kSaslNeedsTlsRule =
    "SASL requires TLS. Set TLS to Required or Optional, or set SASL to "
    "NotSupported.";
// Not in the table: a value outside Required/Optional/NotSupported.
inline constexpr std::string_view kUndefinedNegotiationRule =
    "must be Required, Optional or NotSupported";

struct NegotiationVerdict {
  enum class Outcome { kOk, kWarning, kInvalid };
  Outcome outcome;
  // The spec's warning or refusal text; empty for kOk.
  std::string message;
  // The "edge negotiates" column, e.g. "SASL EXTERNAL over TLS, else
  // dialback over TLS"; empty for kInvalid.
  std::string negotiates;
};

// The table row for these values. UNSPECIFIED or an unknown number in `tls`
// or `sasl` gives kInvalid with kUndefinedNegotiationRule as the message.
NegotiationVerdict EvaluateNegotiation(v1::Negotiation tls,
                                       v1::Negotiation sasl, bool dialback);

// The table applied to a partner. A refused row is INVALID_ARGUMENT whose
// detail names the field most responsible (saslNegotiation when SASL lacks
// TLS, supportDialbackNegotiation when neither SASL nor dialback is on), its
// value, and the spec's text as the rule; the message names the values, e.g.
//   saslNegotiation=Required needs TLS; tlsNegotiation is NotSupported:
//   SASL requires TLS. Set TLS to Required or Optional, or set SASL to ...
// A warning row is OK and appends the spec's warning to `*warnings` (which
// may be null when the caller does not want them).
absl::Status CheckNegotiation(const v1::Partner& partner,
                              std::vector<std::string>* warnings);

// What the edge allows on a stream with this partner, as the table says.
// A refused (or undefined) row allows nothing.
struct AllowedAuth {
  bool tls_required;       // STARTTLS offered with <required/>.
  bool tls_offered;        // STARTTLS offered at all.
  bool sasl_external;      // SASL EXTERNAL, only ever over TLS.
  bool dialback_over_tls;  // XEP-0220 after STARTTLS.
  bool dialback_over_tcp;  // XEP-0220 on a stream without TLS.
};

AllowedAuth AllowedAuthFor(v1::Negotiation tls, v1::Negotiation sasl,
                           bool dialback);

}  // namespace xmppfed::policy

#endif  // XMPPFED_AGENT_POLICY_NEGOTIATION_H_
