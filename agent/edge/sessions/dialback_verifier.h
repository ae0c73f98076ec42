// A connection this edge opens to the authoritative server of a domain
// that sent us a dialback key on an inbound stream (XEP-0220 §2.2): after
// STARTTLS as the partner's row wants (OutboundStream), one <db:verify/>
// per key with the stream id it was given for, one answer each (matched by
// that id), and the stream ends once nothing is left to ask. The edge keeps
// one verifier per (receiving, originating) pair and adds every key for
// that pair to it (Add), so a flood of <db:result/> opens one connection,
// not one per key. Each answer (or kUnreachable when there is none) goes to
// the inbound stream that asked.
#ifndef XMPPFED_AGENT_EDGE_SESSIONS_DIALBACK_VERIFIER_H_
#define XMPPFED_AGENT_EDGE_SESSIONS_DIALBACK_VERIFIER_H_

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

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

  // One more key for the same pair, taken (moved from) only when this
  // returns true: false when this verifier takes no more (it is ending, or
  // already holds kMaxRequests keys, or one for the same stream id).
  bool Add(Request&& request);
  // Keys asked or waiting to be asked.
  size_t requests() const { return waiting_.size() + asked_.size(); }

  static constexpr size_t kMaxRequests = 64;

 private:
  enum class State { kConnecting, kAsking, kAnswered };

  void Authenticate(xmpp_stanza_t* features) override;
  void OnElement(xmpp_stanza_t* stanza) override;
  void OnAttemptFailed(const std::string& condition,
                       const std::string& reason) override;
  std::string CheckPolicy() const override { return ""; }
  bool CloseIsExpected() const override { return state_ == State::kAnswered; }
  void Ask(Request request);
  void AnswerAll(VerifyOutcome outcome);

  // Keys waiting for the stream to be ready, and keys asked, by stream id.
  std::vector<Request> waiting_;
  std::map<std::string, Request> asked_;
  State state_ = State::kConnecting;
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_SESSIONS_DIALBACK_VERIFIER_H_
