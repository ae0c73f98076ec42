// A connection this edge opens to the authoritative server of a domain
// that sent us a dialback key on an inbound stream (XEP-0220 §2.2): after
// STARTTLS as the partner's row wants (OutboundStream), one <db:verify/>
// with the key and the stream id it was given for, one answer, and the
// stream ends. The answer (or kUnreachable when there is none) goes to the
// inbound stream that asked.
#ifndef XMPPFED_AGENT_EDGE_SESSIONS_DIALBACK_VERIFIER_H_
#define XMPPFED_AGENT_EDGE_SESSIONS_DIALBACK_VERIFIER_H_

#include <functional>
#include <string>

#include "agent/edge/negotiation/dialback_receiving.h"
#include "agent/edge/sessions/outbound_stream.h"

namespace xmppfed::edge {

class DialbackVerifier : public OutboundStream {
 public:
  struct Request {
    std::string receiving;  // our local domain the key was sent to
    std::string stream_id;
    std::string key;
    // Called once, on the loop thread.
    std::function<void(VerifyOutcome)> done;
  };

  // Checks a key `originating` (a domain of `partner`) sent us.
  DialbackVerifier(EdgeServices* services, std::string originating,
                   snapshot::PartnerRef partner, Request request);

  SessionKind kind() const override { return SessionKind::kVerifier; }

 private:
  enum class State { kConnecting, kAsked, kAnswered };

  void Authenticate(xmpp_stanza_t* features) override;
  void OnElement(xmpp_stanza_t* stanza) override;
  void OnAttemptFailed(const std::string& condition,
                       const std::string& reason) override;
  std::string CheckPolicy() const override { return ""; }
  bool CloseIsExpected() const override { return state_ == State::kAnswered; }
  void Answer(VerifyOutcome outcome);

  Request request_;
  State state_ = State::kConnecting;
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_SESSIONS_DIALBACK_VERIFIER_H_
