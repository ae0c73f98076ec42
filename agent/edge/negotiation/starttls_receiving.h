// STARTTLS as the receiving entity (RFC 6120 §5.4): whether the stream's
// features offer it, whether as mandatory-to-negotiate, and the answer to
// the peer's <starttls/>. A state machine without I/O: the session sends
// what it is told and starts the handshake.
#ifndef XMPPFED_AGENT_EDGE_NEGOTIATION_STARTTLS_RECEIVING_H_
#define XMPPFED_AGENT_EDGE_NEGOTIATION_STARTTLS_RECEIVING_H_

#include <string>

#include "agent/policy/negotiation.h"

namespace xmppfed::edge {

class StartTlsReceiving {
 public:
  enum class State {
    kNotOffered,  // the last features did not offer it
    kOffered,     // offered in the last features
    kProceeding,  // <proceed/> sent; the handshake runs
    kDone,        // the stream is secured (and restarted)
  };

  // The <starttls/> feature for a stream not yet secured, "" when the
  // partner's row does not offer TLS or this edge has no certificate for
  // the stream's domain. Required (<required/>) when the row says so, or
  // when nothing the row allows can happen without TLS.
  std::string Offer(const policy::AllowedAuth& allowed, bool can_serve_tls);
  // The peer sent <starttls/>: true when it was offered (send <proceed/>,
  // then start the handshake); false means <failure/> and close (RFC 6120
  // §5.4.2.2).
  bool Accept();
  // XEP-0368 direct TLS: the handshake runs from the first byte, and
  // STARTTLS is never offered on the stream.
  void BeginDirect() { state_ = State::kProceeding; }
  void Established() { state_ = State::kDone; }

  State state() const { return state_; }
  bool done() const { return state_ == State::kDone; }

  static std::string ProceedXml();
  static std::string FailureXml();

 private:
  State state_ = State::kNotOffered;
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_NEGOTIATION_STARTTLS_RECEIVING_H_
