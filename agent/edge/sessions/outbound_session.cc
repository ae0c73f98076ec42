#include "agent/edge/sessions/outbound_session.h"

#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "agent/edge/negotiation/dialback_receiving.h"
#include "agent/edge/sasl/sasl_external.h"
#include "agent/edge/sessions/stanzas.h"

namespace xmppfed::edge {
namespace {

// A <db:result/> that is not 'valid': 'invalid', or 'error' with the
// condition of its <error/> child (XEP-0220 §2.4).
diagnosis::PeerRefusal DialbackRefusal(xmpp_stanza_t* result) {
  diagnosis::PeerRefusal refusal;
  if (xml::Attribute(result, "type") != "error") {
    refusal.kind = diagnosis::PeerRefusal::Kind::kDialbackInvalid;
    return refusal;
  }
  refusal.kind = diagnosis::PeerRefusal::Kind::kDialbackError;
  xmpp_stanza_t* error = xmpp_stanza_get_child_by_name(result, "error");
  for (xmpp_stanza_t* child =
           error == nullptr ? nullptr : xmpp_stanza_get_children(error);
       child != nullptr; child = xmpp_stanza_get_next(child)) {
    const char* name = xmpp_stanza_get_name(child);
    if (!xmpp_stanza_is_tag(child) || name == nullptr) continue;
    if (std::string_view(name) == "text") {
      refusal.text = xml::TextOf(child);
    } else if (refusal.condition.empty()) {
      refusal.condition = name;
    }
  }
  return refusal;
}

}  // namespace

OutboundSession::OutboundSession(EdgeServices* services,
                                 std::string local_domain,
                                 std::string remote_domain,
                                 snapshot::PartnerRef partner)
    : OutboundStream(services, std::move(local_domain),
                     std::move(remote_domain), std::move(partner), "") {}

OutboundSession::~OutboundSession() {
  for (xmpp_stanza_t* stanza : queue_) xmpp_stanza_release(stanza);
}

void OutboundSession::Authenticate(xmpp_stanza_t* features) {
  if (sasl_.succeeded()) {
    // The features of the stream restarted after SASL: nothing is left to
    // negotiate.
    BecomeEstablished();
    return;
  }
  // Before authenticating (XEP-0288 §2.2); nothing answers it.
  // The partner's domain must be trusted for what it sends back: a
  // certificate valid for it, or a row that accepts dialback's DNS-based
  // trust (we reached it through its DNS, as a dialback verifier does).
  bool identity_trusted =
      tls_.certificate_valid() || DialbackAllowed(*partner_, tls_.done());
  if (std::string request =
          bidi_.OnFeatures(features, BidiPossible(), identity_trusted);
      !request.empty()) {
    stream_->Send(request);
    Log("s2s.outbound.bidi", "requested=true");
  }
  const policy::AllowedAuth& allowed = partner_->allowed();
  std::string no_sasl = sasl_.Obstacle(
      features, allowed, tls_.done(), tls_.certificate_valid(), remote_domain_);
  if (no_sasl.empty()) {
    stream_->Send(sasl_.Start(local_domain_));
    Log("s2s.outbound.sasl_auth", "mechanism=EXTERNAL");
    return;
  }
  if (!DialbackAllowed(*partner_, tls_.done())) {
    // Never a weaker stream: without SASL and without dialback the
    // attempt ends.
    Fail("remote-server-not-found",
         allowed.sasl_external
             ? "SASL EXTERNAL is the only authentication the partner's "
               "policy allows on this stream, and " +
                   no_sasl
             : "the partner's policy allows no authentication this edge "
               "can do on this stream");
    return;
  }
  if (allowed.sasl_external && tls_.done()) {
    Log("s2s.outbound.sasl_skipped", "reason=\"" + no_sasl + "\"");
  }
  if (!peer_declared_dialback_) {
    Fail("remote-server-not-found",
         remote_domain_ + " does not offer Server Dialback");
    return;
  }
  stream_->Send(dialback_.Start(services_->policy().dialback_secret(),
                                local_domain_, remote_domain_,
                                remote_stream_id_));
}

void OutboundSession::OnElement(xmpp_stanza_t* stanza) {
  if (sasl_.awaiting() && (xml::Is(stanza, "success", sasl::kNsSasl) ||
                           xml::Is(stanza, "failure", sasl::kNsSasl))) {
    std::string condition;
    if (sasl_.OnOutcome(stanza, &condition)) {
      Log("s2s.outbound.sasl_success", "mechanism=EXTERNAL");
      // The stream restarts (RFC 6120 §6.4.6): a new header from us, a new
      // stream (and id) from the server; nothing else carries over.
      stream_->ResetParser();
      remote_stream_id_.clear();
      SendHeader();
      return;
    }
    Log("s2s.outbound.sasl_failed", "condition=" + condition,
        runtime::LogLevel::kWarning);
    services_->metrics().Failed(metrics::FailureKind::kSasl, condition);
    if (trace_ != nullptr) {
      xmpp_stanza_t* text = xml::Child(stanza, "text", sasl::kNsSasl);
      trace_->OnPeerRefused({diagnosis::PeerRefusal::Kind::kSaslFailure,
                             condition == "none" ? "" : condition,
                             text == nullptr ? "" : xml::TextOf(text)});
    }
    Authenticate(nullptr);
    return;
  }
  if (dialback_.key_sent() && xml::Is(stanza, "result", kNsDialback)) {
    std::string type = xml::Attribute(stanza, "type");
    if (dialback_.OnResult(type)) {
      BecomeEstablished();
    } else {
      if (trace_ != nullptr) trace_->OnPeerRefused(DialbackRefusal(stanza));
      services_->metrics().Failed(metrics::FailureKind::kDialback, type);
      Fail("remote-server-not-found",
           remote_domain_ + " did not accept our dialback key (type='" + type +
               "')");
    }
    return;
  }
  if (IsStanza(stanza) && bidi_.requested()) {
    HandleStanzaFromPartner(stanza);
    return;
  }
  Log("s2s.outbound.ignored",
      absl::StrCat("element=", xmpp_stanza_get_name(stanza)),
      runtime::LogLevel::kDebug);
}

void OutboundSession::BecomeEstablished() {
  MarkEstablished(sasl_.succeeded() ? "SaslExternal"
                  : tls_.done()     ? "DialbackTls"
                                    : "DialbackTcp");
  Log("s2s.outbound.authenticated", "auth=" + auth_);
  if (trace_ != nullptr) trace_->OnAuthenticated(auth_);
  services_->SessionEstablished(this);
  if (bidi_.requested()) services_->ReverseRoutesChanged(this);
  while (!queue_.empty() && !closed_) {
    xmpp_stanza_t* stanza = queue_.front();
    queue_.pop_front();
    stream_->SendStanza(stanza);
    xmpp_stanza_release(stanza);
  }
  if (partner_->enable_keep_alive()) {
    const v1::GatewayConfig& gateway = services_->policy().gateway();
    stream_->SetTimeouts(
        {.output_stalled = absl::Seconds(gateway.stream_inactivity_timeout()),
         .keep_alive = absl::Seconds(gateway.keep_alive_interval())});
  }
}

std::string OutboundSession::CheckPolicy() const {
  const policy::AllowedAuth& allowed = partner_->allowed();
  bool auth_allowed = sasl_.succeeded()
                          ? allowed.sasl_external
                          : DialbackAllowed(*partner_, tls_.done());
  return auth_allowed
             ? ""
             : "the partner's policy no longer allows this stream's security";
}

void OutboundSession::RecheckPolicy() {
  OutboundStream::RecheckPolicy();
  // As on a partner's bidi stream (InboundSession::RecheckPolicy): the
  // next stanzas open the streams the policy allows now.
  if (!closed_ && established_ && !stream_->ending() && bidi_.requested() &&
      !BidiPossible()) {
    Close(xml::StreamError::kReset,
          "bidirectional streams are no longer allowed with this partner");
  }
}

bool OutboundSession::BidiPossible() const {
  if (traced()) return false;  // a probe's stream attracts no traffic
  return BidiAllowed(
      services_->policy().gateway().enable_bidirectional_streams(),
      partner_->allowed(), tls_.done());
}

void OutboundSession::HandleStanzaFromPartner(xmpp_stanza_t* stanza) {
  if (!established_) {
    Close(xml::StreamError::kNotAuthorized,
          "stanzas before the stream was authenticated");
    return;
  }
  // The one pair this stream authenticated, reversed (XEP-0288 §4).
  if (DomainOf(xmpp_stanza_get_from(stanza)) != remote_domain_) {
    Close(xml::StreamError::kInvalidFrom,
          "only " + remote_domain_ + " may send on this stream");
    return;
  }
  if (DomainOf(xmpp_stanza_get_to(stanza)) != local_domain_) {
    Close(xml::StreamError::kHostUnknown,
          "this stream carries stanzas for " + local_domain_ + " only");
    return;
  }
  services_->DeliverFromPartner(partner_, stanza);
}

SessionInfo OutboundSession::Info() const {
  SessionInfo info = OutboundStream::Info();
  info.bidirectional = bidi_.requested();
  return info;
}

void OutboundSession::Send(xmpp_stanza_t* stanza) {
  if (established_ && stream_ && !closed_) {
    stream_->SendStanza(stanza);
    return;
  }
  if (failed_ || closed_ || queue_.size() >= kMaxQueuedStanzas) {
    if (xmpp_stanza_t* bounce = MakeBounce(
            services_->xmpp(), stanza,
            failed_ ? "remote-server-not-found" : "resource-constraint")) {
      services_->metrics().Bounced(failed_ ? "remote-server-not-found"
                                           : "resource-constraint");
      services_->DeliverLocally(bounce);
      xmpp_stanza_release(bounce);
    }
    return;
  }
  queue_.push_back(xmpp_stanza_clone(stanza));
}

void OutboundSession::OnAttemptFailed(const std::string& condition,
                                      const std::string& reason) {
  std::deque<xmpp_stanza_t*> queued;
  queued.swap(queue_);
  for (xmpp_stanza_t* stanza : queued) {
    if (xmpp_stanza_t* bounce =
            MakeBounce(services_->xmpp(), stanza, condition)) {
      services_->metrics().Bounced(condition);
      services_->DeliverLocally(bounce);
      xmpp_stanza_release(bounce);
    }
    xmpp_stanza_release(stanza);
  }
}

}  // namespace xmppfed::edge
