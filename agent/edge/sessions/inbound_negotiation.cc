// InboundSession's negotiation: each protocol element handed to its
// negotiator (agent/edge/negotiation), and what the answer calls for.
#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "agent/edge/negotiation/dialback_elements.h"
#include "agent/edge/sessions/inbound_session.h"
#include "agent/edge/sessions/stanzas.h"
#include "agent/runtime/log.h"

namespace xmppfed::edge {
namespace {

using xml::StreamError;

}  // namespace

PeerCertificate InboundSession::PeerCertificateFacts() const {
  PeerCertificate peer;
  tls::TlsChannel* tls = stream_->tls();
  if (tls == nullptr || !tls->peer_certificate_present()) return peer;
  peer.present = true;
  peer.trusted = tls->peer_chain_trusted();
  peer.identity =
      tls::MatchXmppServerIdentity(tls->peer_certificate(), remote_domain_);
  return peer;
}

void InboundSession::HandleStartTls() {
  if (!tls_.Accept()) {
    stream_->Send(StartTlsReceiving::FailureXml());
    stream_->CloseGracefully("STARTTLS was not offered");
    return;
  }
  stream_->Send(StartTlsReceiving::ProceedXml());
  stream_->SuspendParser();
  std::shared_ptr<const tls::TlsContexts> contexts = services_->tls();
  stream_->StartTls([contexts](int fd) {
    return tls::TlsChannel::Server(contexts->server(), fd, contexts);
  });
}

void InboundSession::OnTlsEstablished() {
  tls_.Established();
  stream_->set_header_sent(false);
  // The stream restarts over TLS with a new id (RFC 6120 §5.4.3.3); a
  // dialback key is then computed over the new one.
  UseStreamId(services_->NewStreamId());
  tls::TlsChannel* tls = stream_->tls();
  Log("s2s.inbound.tls",
      absl::StrCat(
          "version=", tls->version(), " cipher=", tls->cipher(),
          direct_tls_ ? " direct_tls=true alpn=" : "",
          direct_tls_ ? (tls->alpn().empty() ? "none" : tls->alpn()) : ""));
}

bool InboundSession::Authenticate(const std::string& domain,
                                  snapshot::PartnerRef partner,
                                  AuthMethod method) {
  std::string identity(partner->identity());
  std::vector<std::string> bound = authenticated_.Partners();
  bool new_partner =
      std::find(bound.begin(), bound.end(), identity) == bound.end();
  // The partner's limit counts streams that proved one of its domains.
  if (new_partner && services_->CountPartnerStreams(identity) >=
                         services_->policy().ConnectionLimitFor(*partner)) {
    Log("s2s.inbound.limit",
        absl::StrCat("partner=", identity, " domain=", domain,
                     " reason=\"the partner's connection limit is reached\""),
        runtime::LogLevel::kWarning);
    return false;
  }
  bool first = authenticated_.empty();
  authenticated_.Add(domain, std::move(partner), method);
  if (new_partner) services_->PartnersChanged(this);
  if (first) {
    established_at_ = absl::Now();
    services_->SessionEstablished(this);
  }
  return true;
}

void InboundSession::HandleSaslAuth(xmpp_stanza_t* stanza) {
  std::string why_not;
  SaslReceiving::Possible(tls_.done(), header_partner_->allowed(),
                          PeerCertificateFacts(), remote_domain_, &why_not);
  SaslReceiving::Outcome outcome =
      sasl_.OnAuth(xml::Attribute(stanza, "mechanism"), xml::TextOf(stanza),
                   remote_domain_, tls_.done(), why_not);
  if (!outcome.accepted) {
    stream_->Send(outcome.reply_xml);
    Log("s2s.inbound.sasl_failed",
        absl::StrCat(
            "condition=", std::string(sasl::FailureName(outcome.failure)),
            " reason=\"", outcome.detail, "\""),
        runtime::LogLevel::kWarning);
    services_->metrics().Failed(metrics::FailureKind::kSasl,
                                sasl::FailureName(outcome.failure));
    if (outcome.close) {
      Close(StreamError::kPolicyViolation, "too many failed SASL attempts");
    }
    return;
  }
  if (!Authenticate(remote_domain_, header_partner_,
                    AuthMethod::kSaslExternal)) {
    stream_->Send(sasl::FailureXml(sasl::Failure::kNotAuthorized));
    Close(StreamError::kResourceConstraint,
          "the partner's connection limit is reached");
    return;
  }
  stream_->Send(outcome.reply_xml);
  auth_ = "SaslExternal";
  // A route from us once our header after the restart is out.
  bidi_.AddPair(local_domain_, remote_domain_);
  // The stream restarts (RFC 6120 §6.4.6): the peer's next bytes are a new
  // stream header, answered with a new stream id; nothing of the old
  // stream's negotiation carries over except who was authenticated.
  stream_->ResetParser();
  stream_->set_header_sent(false);
  UseStreamId(services_->NewStreamId());
  Log("s2s.inbound.authenticated",
      absl::StrCat("auth=SaslExternal domain=", remote_domain_, " identity=",
                   std::string(tls::IdentityMatchName(
                       PeerCertificateFacts().identity))));
}

void InboundSession::HandleDialbackResult(xmpp_stanza_t* stanza) {
  std::string originating = DomainOf(xmpp_stanza_get_from(stanza));
  std::string receiving = DomainOf(xmpp_stanza_get_to(stanza));
  std::string key = xml::TextOf(stanza);
  DialbackReceiving::Admission admission = dialback_.Admit(
      receiving, originating, key, services_->policy(), tls_.done());
  if (admission.kind == DialbackReceiving::Admission::Kind::kRefuse) {
    Close(admission.error, admission.text);
    return;
  }
  if (admission.kind == DialbackReceiving::Admission::Kind::kPending) return;
  std::weak_ptr<bool> alive = alive_;
  services_->VerifyDialback(
      receiving, originating, stream_id_, key,
      [this, alive, receiving, originating](VerifyOutcome outcome) {
        std::shared_ptr<bool> still = alive.lock();
        if (!still || !*still || closed_) return;
        ConcludeDialback(receiving, originating, outcome);
      });
}

void InboundSession::ConcludeDialback(const std::string& receiving,
                                      const std::string& originating,
                                      VerifyOutcome outcome) {
  DialbackReceiving::Conclusion conclusion =
      dialback_.Conclude(receiving, originating, outcome);
  if (conclusion.authenticated) {
    // Judged by the partner owning it now (the policy may have changed
    // while the key was checked).
    snapshot::PartnerRef partner = services_->policy().Partner(originating);
    if (partner == nullptr || !DialbackAllowed(*partner, tls_.done())) {
      Close(StreamError::kPolicyViolation,
            "the policy changed while " + originating + " was verified");
      return;
    }
    if (!Authenticate(originating, std::move(partner), AuthMethod::kDialback)) {
      stream_->Send(DialbackResultErrorXml(receiving, originating, "wait",
                                           "resource-constraint"));
      if (authenticated_.empty()) {
        Close(StreamError::kResourceConstraint,
              "the partner's connection limit is reached");
      }
      return;
    }
    // A domain added by dialback to a stream SASL authenticated keeps the
    // stream's auth.
    if (auth_.empty()) auth_ = tls_.done() ? "DialbackTls" : "DialbackTcp";
    stream_->Send(conclusion.reply_xml);
    Log("s2s.inbound.authenticated",
        absl::StrCat("auth=", tls_.done() ? "DialbackTls" : "DialbackTcp",
                     " domain=", originating));
    // Only the pair just proved: never the header's unproved `from`.
    bidi_.AddPair(receiving, originating);
    OpenReverseRoutes();
    return;
  }
  services_->metrics().Failed(metrics::FailureKind::kDialback,
                              outcome == VerifyOutcome::kInvalid
                                  ? "verify-invalid"
                                  : "verify-unreachable");
  stream_->Send(conclusion.reply_xml);
  Log("s2s.inbound.dialback_failed",
      absl::StrCat("domain=", originating, " reason=\"",
                   conclusion.text.empty() ? "the key was not verified"
                                           : conclusion.text,
                   "\""),
      runtime::LogLevel::kWarning);
  if (conclusion.close) Close(conclusion.error, conclusion.text);
}

void InboundSession::HandleDialbackVerify(xmpp_stanza_t* stanza) {
  // We are the authoritative server of `originating` (a local domain).
  std::string receiving = DomainOf(xmpp_stanza_get_from(stanza));
  std::string originating = DomainOf(xmpp_stanza_get_to(stanza));
  DialbackAuthoritative::Answer answer = authoritative_.OnVerify(
      receiving, originating, xml::Attribute(stanza, "id"), xml::TextOf(stanza),
      services_->policy());
  if (answer.refuse) {
    Close(answer.error, answer.text);
    return;
  }
  stream_->Send(answer.reply_xml);
  // An invalid key is someone claiming to be us, or a stale stream id.
  Log("s2s.dialback.verify",
      absl::StrCat("for=", receiving,
                   " valid=", answer.valid ? "true" : "false"),
      answer.valid ? runtime::LogLevel::kInfo : runtime::LogLevel::kWarning);
}

void InboundSession::HandleBidiRequest() {
  if (!bidi_.OnRequest(BidiPossible(), !authenticated_.empty())) {
    Close(StreamError::kUnsupportedStanzaType,
          "a bidirectional stream was not offered here");
    return;
  }
  Log("s2s.inbound.bidi", "requested=true");
}

bool InboundSession::BidiPossible() const {
  return header_partner_ != nullptr &&
         BidiAllowed(
             services_->policy().gateway().enable_bidirectional_streams(),
             header_partner_->allowed(), tls_.done());
}

void InboundSession::OpenReverseRoutes() {
  if (closed_ || !bidi_.negotiated() || routes_ == bidi_.pairs()) return;
  bool first = routes_.empty();
  routes_ = bidi_.pairs();
  if (first) {
    // Our stanzas now go out here too: the stream is idle only when no
    // stanza goes either way, and keep-alives go out as on an outbound
    // stream to the partner.
    const AuthenticatedDomains::Entry* entry =
        authenticated_.Find(routes_.front().second);
    const v1::GatewayConfig& gateway = services_->policy().gateway();
    absl::Duration inactivity =
        absl::Seconds(gateway.stream_inactivity_timeout());
    bool keep_alive = entry != nullptr && entry->partner->enable_keep_alive();
    stream_->SetTimeouts(
        {.input_idle = inactivity,
         .sent_stanzas_are_activity = true,
         .output_stalled = inactivity,
         .keep_alive = keep_alive ? absl::Seconds(gateway.keep_alive_interval())
                                  : absl::ZeroDuration()});
  }
  Log("s2s.inbound.bidi_routes", absl::StrCat("pairs=", routes_.size()));
  services_->ReverseRoutesChanged(this);
}

bool InboundSession::SendStanza(xmpp_stanza_t* stanza) {
  if (closed_ || stream_->ending() || stream_->closed()) return false;
  stream_->SendStanza(stanza);
  return true;
}

}  // namespace xmppfed::edge
