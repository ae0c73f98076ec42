// A stream a partner's server opened to this edge (we are the receiving
// server, RFC 6120 / XEP-0220). It checks the header against the policy
// (to: a local domain, else host-unknown; from: a partner, else
// policy-violation), offers the features the partner's row of the
// negotiation table allows, runs STARTTLS, SASL EXTERNAL (XEP-0178: offered
// after TLS only when the peer's chain is trusted and its certificate is
// valid for the header's `from`, agent/edge/tls/identity.h) and dialback
// (verifying keys with the originating domain's authoritative server over a
// separate connection), answers dialback verifications for our own
// domains, and
// relays stanzas whose `from` was authenticated on this stream
// (invalid-from otherwise).
#ifndef XMPPFED_AGENT_EDGE_SESSIONS_INBOUND_SESSION_H_
#define XMPPFED_AGENT_EDGE_SESSIONS_INBOUND_SESSION_H_

#include <memory>
#include <optional>
#include <set>
#include <string>

#include "agent/edge/sessions/edge_services.h"
#include "agent/edge/sessions/session.h"
#include "agent/edge/stream/xml_stream.h"

namespace xmppfed::edge {

class InboundSession : public Session, private XmlStreamObserver {
 public:
  // Takes the accepted, non-blocking `fd`.
  InboundSession(EdgeServices* services, int fd);
  ~InboundSession() override;

  absl::Status Start();

  uint64_t id() const override { return id_; }
  SessionInfo Info() const override;
  void Close(xml::StreamError error, const std::string& text) override;
  void RecheckPolicy() override;

 private:
  // XmlStreamObserver
  void OnStreamOpen(const xml::StreamHeader& header) override;
  void OnStanza(xmpp_stanza_t* stanza) override;
  void OnStreamEnd() override;
  void OnTlsEstablished() override;
  void OnClosed(const std::string& reason) override;

  // Sets the id of the stream (also in stream errors sent before our
  // header): a new one at each restart.
  void UseStreamId(std::string id);
  void SendHeaderAndFeatures();
  bool DialbackAllowedNow(const snapshot::PartnerPolicy& partner) const;
  void HandleStartTls();
  // SASL EXTERNAL can be offered now: TLS done, the row allows it, and the
  // peer's certificate is trusted and valid for remote_domain_; otherwise
  // `*why` says what is missing.
  bool SaslExternalPossible(std::string* why) const;
  void HandleSaslAuth(xmpp_stanza_t* stanza);
  void HandleDialbackResult(xmpp_stanza_t* stanza);
  void HandleDialbackVerify(xmpp_stanza_t* stanza);
  void HandleStanza(xmpp_stanza_t* stanza);
  void Log(const std::string& event, const std::string& details) const;

  EdgeServices* services_;
  uint64_t id_;
  std::unique_ptr<XmlStream> stream_;
  std::string stream_id_;
  std::string local_domain_;
  std::string remote_domain_;
  snapshot::PartnerRef partner_;
  bool tls_done_ = false;
  bool tls_started_ = false;
  // SASL EXTERNAL: offered in the features last sent; succeeded (the
  // stream restarted and remote_domain_ is authenticated by it); failed
  // attempts (the peer may retry a few times, RFC 6120 §6.4.5).
  bool sasl_offered_ = false;
  bool sasl_done_ = false;
  int sasl_failures_ = 0;
  bool closed_ = false;
  // Originating domains authenticated by dialback on this stream.
  std::set<std::string> authenticated_;
  std::string auth_;
  absl::Time established_at_ = absl::InfinitePast();
  net::EventLoop::TimerId establishment_timer_ = 0;
  // Lets verification callbacks find out whether the session still exists.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_SESSIONS_INBOUND_SESSION_H_
