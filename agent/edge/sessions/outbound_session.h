// A stream this edge opens to a partner's server to carry the internal
// side's stanzas, for one (local domain, partner domain) pair (we are the
// originating server). Opened on demand by the router; stanzas wait in a
// bounded queue while it connects and negotiates (OutboundStream). It
// authenticates with SASL EXTERNAL when the row allows it, the server
// offers it after TLS and its certificate is valid for the partner domain
// (our client certificate is our credential), else (or after a SASL
// failure) with dialback where the row allows that, else not at all. When
// that fails every queued stanza is bounced (remote-server-not-found, or
// remote-server-timeout when it took too long). Where the partner offers
// XEP-0288 and its policy allows it, it asks for a bidirectional stream
// before authenticating (BidiInitiating); once established, the stanzas
// the partner sends from its domain to ours on it are relayed as an
// inbound stream's (that pair only).
#ifndef XMPPFED_AGENT_EDGE_SESSIONS_OUTBOUND_SESSION_H_
#define XMPPFED_AGENT_EDGE_SESSIONS_OUTBOUND_SESSION_H_

#include <deque>
#include <string>

#include "agent/edge/negotiation/bidi.h"
#include "agent/edge/negotiation/dialback_originating.h"
#include "agent/edge/negotiation/sasl_initiating.h"
#include "agent/edge/sessions/outbound_stream.h"

namespace xmppfed::edge {

class OutboundSession : public OutboundStream {
 public:
  // Stanzas waiting for the stream; beyond this they are bounced at once.
  static constexpr size_t kMaxQueuedStanzas = 10000;

  // A stanza stream from `local_domain` to `remote_domain` (a domain of
  // `partner`).
  OutboundSession(EdgeServices* services, std::string local_domain,
                  std::string remote_domain, snapshot::PartnerRef partner);
  ~OutboundSession() override;

  // Sends now when established, else queues (bounded; over the bound the
  // stanza is bounced with resource-constraint).
  void Send(xmpp_stanza_t* stanza);
  // Closing or closed (e.g. reset by a policy change): a new stanza for
  // its pair of domains needs a new stream.
  bool ending() const { return closed_ || (stream_ && stream_->ending()); }

  SessionKind kind() const override { return SessionKind::kOutbound; }
  bool bidirectional() const override { return bidi_.requested(); }
  void RecheckPolicy() override;
  SessionInfo Info() const override;

 private:
  void Authenticate(xmpp_stanza_t* features) override;
  void OnElement(xmpp_stanza_t* stanza) override;
  void OnAttemptFailed(const std::string& condition,
                       const std::string& reason) override;
  std::string CheckPolicy() const override;
  void BecomeEstablished();
  // Whether XEP-0288 may be used on this stream now: allowed by the
  // gateway and the partner's row, and not a probe's stream.
  bool BidiPossible() const;
  // A stanza the partner sent on this (bidi) stream.
  void HandleStanzaFromPartner(xmpp_stanza_t* stanza);

  SaslInitiating sasl_;
  DialbackOriginating dialback_;
  BidiInitiating bidi_;
  std::deque<xmpp_stanza_t*> queue_;
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_SESSIONS_OUTBOUND_SESSION_H_
