// What a peer says when it refuses an outbound stream, and the advice that
// follows from it, for `xmppfed test-partner` (agent/edge/probe): the cause
// the peer names ("you are not one of my partners") rather than the step
// that happened to be running. Pure functions of strings: no stanza, no
// I/O, each condition unit-tested.
#ifndef XMPPFED_AGENT_EDGE_DIAGNOSIS_PEER_REFUSAL_H_
#define XMPPFED_AGENT_EDGE_DIAGNOSIS_PEER_REFUSAL_H_

#include <optional>
#include <string>
#include <string_view>

namespace xmppfed::edge::diagnosis {

struct PeerRefusal {
  enum class Kind {
    // <stream:error/>: `condition` is one of RFC 6120 §4.9.3.
    kStreamError,
    // <failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/> to STARTTLS.
    kStartTlsFailure,
    // <failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>: `condition` is
    // one of RFC 6120 §6.5.
    kSaslFailure,
    // <db:result type='invalid'/>: the key did not verify (XEP-0220).
    kDialbackInvalid,
    // <db:result type='error'/>: `condition` is the stanza error's
    // (XEP-0220 §2.4: item-not-found, remote-connection-failed, ...).
    kDialbackError,
  };
  Kind kind = Kind::kStreamError;
  std::string condition;
  // The peer's human-readable text, if it sent one.
  std::string text;
};

// Where the failure happened and who is who.
struct RefusalContext {
  // This edge's domain the stream is from.
  std::string local_domain;
  // The partner's domain the stream is to.
  std::string remote_domain;
};

// The refusal in a log's wording, e.g. "the peer sent the stream error
// <policy-violation/>: x is not a federation partner of y".
std::string DescribeRefusal(const PeerRefusal& refusal);

// What it means and what to do, in plain language naming the domains, e.g.
// "The partner's server refuses example.test by its own policy: it has not
// allowed example.test to federate with it. Ask the partner to add
// example.test to its federation partners ...". Every defined condition of
// every kind has its own advice; an unknown one gets a general one.
std::string AdviceFor(const PeerRefusal& refusal,
                      const RefusalContext& context);

// The stream error in a close reason as the edge words it ("... peer sent
// stream error host-unknown (its text)", agent/edge/stream); nullopt when
// the reason is not one.
std::optional<PeerRefusal> StreamErrorFromReason(std::string_view reason);

}  // namespace xmppfed::edge::diagnosis

#endif  // XMPPFED_AGENT_EDGE_DIAGNOSIS_PEER_REFUSAL_H_
