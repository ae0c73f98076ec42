// SASL EXTERNAL as the receiving entity (XEP-0178, RFC 6120 §6): whether the
// mechanism may be offered on this stream, and the exchange after the
// peer's <auth/>. Offered only after TLS, when the partner's row allows SASL
// and the peer's certificate chain is trusted and valid for the stream
// header's `from` (RFC 6125). The peer may retry a failed attempt a few
// times (RFC 6120 §6.4.5). No I/O: the session sends what it is told.
#ifndef XMPPFED_AGENT_EDGE_NEGOTIATION_SASL_RECEIVING_H_
#define XMPPFED_AGENT_EDGE_NEGOTIATION_SASL_RECEIVING_H_

#include <string>
#include <string_view>

#include "agent/edge/sasl/sasl_external.h"
#include "agent/edge/tls/identity.h"
#include "agent/policy/negotiation.h"

namespace xmppfed::edge {

// What TLS tells of the peer's client certificate.
struct PeerCertificate {
  bool present = false;
  bool trusted = false;
  tls::IdentityMatch identity = tls::IdentityMatch::kNone;
};

class SaslReceiving {
 public:
  // Failed attempts after which the stream is closed.
  static constexpr int kMaxFailures = 3;

  enum class State { kNotOffered, kOffered, kSucceeded };

  struct Outcome {
    bool accepted = false;
    // <success/> or <failure/>.
    std::string reply_xml;
    // Too many failures: close the stream with <policy-violation/>.
    bool close = false;
    // For the log.
    sasl::Failure failure = sasl::Failure::kNotAuthorized;
    std::string detail;
  };

  // Whether EXTERNAL can be offered for `domain`; `*why` says what is
  // missing when not.
  static bool Possible(bool tls_done, const policy::AllowedAuth& allowed,
                       const PeerCertificate& peer, std::string_view domain,
                       std::string* why);

  // The mechanisms feature for the next features, "" when not `possible`
  // (or already authenticated).
  std::string Offer(bool possible);
  // The peer's <auth/> for `domain` (the stream header's `from`). `why_not`
  // is Possible's reason, used when it was not offered.
  Outcome OnAuth(std::string_view mechanism, std::string_view response,
                 std::string_view domain, bool tls_done,
                 const std::string& why_not);

  State state() const { return state_; }
  bool succeeded() const { return state_ == State::kSucceeded; }
  bool offered() const { return state_ == State::kOffered; }

 private:
  Outcome Fail(sasl::Failure failure, std::string detail);

  State state_ = State::kNotOffered;
  int failures_ = 0;
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_NEGOTIATION_SASL_RECEIVING_H_
