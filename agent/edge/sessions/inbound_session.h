// A stream a partner's server opened to this edge (we are the receiving
// server, RFC 6120 / XEP-0220). The header is checked against the policy
// (to: a local domain, else host-unknown; from: a partner, else
// policy-violation), and the features offer what the row of that partner
// allows. The session composes one negotiator per protocol
// (agent/edge/negotiation): STARTTLS, SASL EXTERNAL (for the header's
// `from`), dialback as receiving server (each further domain verified with
// its own authoritative server, judged by its own partner) and as
// authoritative server (answering <db:verify/> for our domains). Stanzas are
// relayed only from authenticated domains (invalid-from otherwise), each
// judged by the partner that owns its `from` domain. With XEP-0288
// negotiated (BidiReceiving) the stream also carries stanzas from us: from
// the receiving domain of each authenticated pair to its originating
// domain, and nothing else (the router sends them through SendStanza).
#ifndef XMPPFED_AGENT_EDGE_SESSIONS_INBOUND_SESSION_H_
#define XMPPFED_AGENT_EDGE_SESSIONS_INBOUND_SESSION_H_

#include <memory>
#include <string>
#include <vector>

#include "agent/edge/negotiation/bidi.h"
#include "agent/edge/negotiation/dialback_authoritative.h"
#include "agent/edge/negotiation/dialback_receiving.h"
#include "agent/edge/negotiation/sasl_receiving.h"
#include "agent/edge/negotiation/starttls_receiving.h"
#include "agent/edge/sessions/authenticated_domains.h"
#include "agent/edge/sessions/edge_services.h"
#include "agent/edge/sessions/session.h"
#include "agent/edge/stream/xml_stream.h"
#include "agent/runtime/log.h"

namespace xmppfed::edge {

class InboundSession : public Session, private XmlStreamObserver {
 public:
  // Takes the accepted, non-blocking `fd`. `direct_tls`: accepted on the
  // XEP-0368 listener, TLS from the first byte (the handshake runs under
  // the establishment timeout like any negotiation), then the stream goes
  // on as after STARTTLS; a partner whose TLS is NotSupported is refused
  // there (<policy-violation/>).
  InboundSession(EdgeServices* services, int fd, bool direct_tls = false);
  ~InboundSession() override;

  absl::Status Start();

  uint64_t id() const override { return id_; }
  SessionKind kind() const override { return SessionKind::kInbound; }
  std::vector<std::string> Partners() const override {
    return authenticated_.Partners();
  }
  XmlStream* stream() override { return stream_.get(); }
  SessionInfo Info() const override;
  void Close(xml::StreamError error, const std::string& text) override;
  void RecheckPolicy() override;

  // The partner of an authenticated domain, for a stanza from `domain`;
  // null when `domain` was not authenticated here.
  snapshot::PartnerRef PartnerOf(std::string_view domain) const;

  bool bidirectional() const override { return bidi_.negotiated(); }
  // The pairs (local, remote) this bidi stream carries from us; the router
  // reaches them through here (EdgeServices::ReverseRoutesChanged).
  const std::vector<DomainPair>& reverse_routes() const { return routes_; }
  // A stanza from us, for a pair of reverse_routes(); false (nothing sent)
  // once the stream is ending.
  bool SendStanza(xmpp_stanza_t* stanza);

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
  // A first header without 'from': STARTTLS (required) is all it is
  // offered; the header after TLS must name the originating domain.
  void OfferTlsOnly();
  // Tells the edge that federation with the header's partner failed here.
  void ReportFailure(const std::string& reason);
  PeerCertificate PeerCertificateFacts() const;

  // inbound_negotiation.cc: one handler per protocol element.
  void HandleStartTls();
  void HandleSaslAuth(xmpp_stanza_t* stanza);
  void HandleDialbackResult(xmpp_stanza_t* stanza);
  void ConcludeDialback(const std::string& receiving,
                        const std::string& originating, VerifyOutcome outcome);
  void HandleDialbackVerify(xmpp_stanza_t* stanza);
  void HandleBidiRequest();
  // Whether XEP-0288 may be used on this stream now.
  bool BidiPossible() const;
  // The authenticated pairs become routes from us once nothing but
  // stanzas can follow on the stream (after dialback's <db:result/>, or our
  // header after SASL's restart); keep-alives start with the first.
  void OpenReverseRoutes();
  // A domain was proved (SASL or dialback): bound to its partner, unless
  // that partner's connectionLimit is reached (false then).
  bool Authenticate(const std::string& domain, snapshot::PartnerRef partner,
                    AuthMethod method);

  void HandleStanza(xmpp_stanza_t* stanza);
  // Routine events at info; failures and refusals at warning.
  void Log(const std::string& event, const std::string& details,
           runtime::LogLevel level = runtime::LogLevel::kInfo) const;

  EdgeServices* services_;
  uint64_t id_;
  const bool direct_tls_;
  std::unique_ptr<XmlStream> stream_;
  std::string stream_id_;
  std::string local_domain_;
  // The header's `from` (a claim until proved) and the partner it names,
  // which decides what the features offer.
  std::string remote_domain_;
  snapshot::PartnerRef header_partner_;

  StartTlsReceiving tls_;
  SaslReceiving sasl_;
  DialbackReceiving dialback_;
  DialbackAuthoritative authoritative_;
  AuthenticatedDomains authenticated_;
  BidiReceiving bidi_;
  // The pairs of bidi_ the router may use now.
  std::vector<DomainPair> routes_;

  bool closed_ = false;
  // OfferTlsOnly was sent: <starttls/> is the one element accepted.
  bool tls_only_ = false;
  // Close logged why at warning (s2s.inbound.refused / policy_close).
  bool refusal_logged_ = false;
  // How the stream was first authenticated, for get-session.
  std::string auth_;
  absl::Time established_at_ = absl::InfinitePast();
  net::EventLoop::TimerId establishment_timer_ = 0;
  // Lets verification callbacks find out whether the session still exists.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_SESSIONS_INBOUND_SESSION_H_
