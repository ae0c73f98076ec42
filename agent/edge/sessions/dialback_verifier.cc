#include "agent/edge/sessions/dialback_verifier.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "agent/edge/negotiation/dialback_elements.h"
#include "agent/edge/sessions/stanzas.h"

namespace xmppfed::edge {

DialbackVerifier::DialbackVerifier(EdgeServices* services,
                                   std::string originating,
                                   snapshot::PartnerRef partner,
                                   Request request)
    : OutboundStream(services, request.receiving, std::move(originating),
                     std::move(partner), "verify"),
      request_(std::move(request)) {}

void DialbackVerifier::Authenticate(xmpp_stanza_t* features) {
  if (state_ != State::kConnecting) return;
  if (!DialbackAllowed(*partner_, tls_.done())) {
    Fail("remote-server-not-found",
         "the partner's policy allows no authentication this edge can do on "
         "this stream");
    return;
  }
  if (!peer_declared_dialback_) {
    Fail("remote-server-not-found",
         remote_domain_ + " does not offer Server Dialback");
    return;
  }
  state_ = State::kAsked;
  stream_->Send(DialbackVerifyXml(local_domain_, remote_domain_,
                                  request_.stream_id, "", request_.key));
}

void DialbackVerifier::OnElement(xmpp_stanza_t* stanza) {
  if (state_ != State::kAsked || !xml::Is(stanza, "verify", kNsDialback)) {
    Log("s2s.outbound.ignored",
        absl::StrCat("element=", xmpp_stanza_get_name(stanza)),
        runtime::LogLevel::kDebug);
    return;
  }
  state_ = State::kAnswered;
  Answer(xml::Attribute(stanza, "type") == "valid" ? VerifyOutcome::kValid
                                                   : VerifyOutcome::kInvalid);
  stream_->CloseGracefully("verification answered");
}

void DialbackVerifier::OnAttemptFailed(const std::string& condition,
                                       const std::string& reason) {
  Answer(VerifyOutcome::kUnreachable);
}

void DialbackVerifier::Answer(VerifyOutcome outcome) {
  if (auto done = std::exchange(request_.done, nullptr)) done(outcome);
}

}  // namespace xmppfed::edge
