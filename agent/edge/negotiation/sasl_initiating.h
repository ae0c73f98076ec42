// SASL EXTERNAL as the initiating entity (XEP-0178) on the streams this
// edge opens: tried when the partner's row allows it, the stream is
// secured, the server's certificate is valid for the partner domain, and
// the server offers EXTERNAL (it does when our client certificate is valid
// for our domain); our credential is that certificate. After a failure the
// stream may go on with dialback where the row allows it. No I/O.
#ifndef XMPPFED_AGENT_EDGE_NEGOTIATION_SASL_INITIATING_H_
#define XMPPFED_AGENT_EDGE_NEGOTIATION_SASL_INITIATING_H_

#include <strophe.h>

#include <string>

#include "agent/policy/negotiation.h"

namespace xmppfed::edge {

class SaslInitiating {
 public:
  enum class State { kIdle, kAwaiting, kSucceeded, kFailed };

  // Why EXTERNAL cannot be tried on this stream, "" when it can.
  // `features` may be null (after a failure, nothing was offered anew).
  std::string Obstacle(xmpp_stanza_t* features,
                       const policy::AllowedAuth& allowed, bool tls_done,
                       bool certificate_valid, const std::string& domain) const;
  // The <auth/> to send; waits for the answer.
  std::string Start(const std::string& local_domain);
  // The server's <success/> or <failure/>: true on success (the stream
  // restarts). `*condition` names the failure's condition ("none").
  bool OnOutcome(xmpp_stanza_t* outcome, std::string* condition);

  State state() const { return state_; }
  bool awaiting() const { return state_ == State::kAwaiting; }
  bool succeeded() const { return state_ == State::kSucceeded; }

 private:
  State state_ = State::kIdle;
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_NEGOTIATION_SASL_INITIATING_H_
