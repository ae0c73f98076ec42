// OutboundSession's SASL EXTERNAL (XEP-0178): whether to try it with this
// peer, and what the peer answered.
#include "absl/strings/str_cat.h"
#include "agent/edge/sasl/sasl_external.h"
#include "agent/edge/sessions/outbound_session.h"
#include "agent/edge/sessions/stanzas.h"
#include "agent/edge/tls/identity.h"

namespace xmppfed::edge {
namespace {

using xml::StreamError;

}  // namespace

std::string OutboundSession::SaslExternalObstacle(
    xmpp_stanza_t* features) const {
  if (verify_) return "a dialback verification";
  if (!partner_->allowed().sasl_external) {
    return "the partner's policy does not allow SASL";
  }
  if (!tls_done_) return "no TLS";
  if (sasl_failed_) return remote_domain_ + " refused SASL EXTERNAL";
  if (!server_certificate_valid_) {
    return "the certificate of " + remote_domain_ +
           " is not trusted or not valid for it";
  }
  xmpp_stanza_t* mechanisms =
      features == nullptr ? nullptr
                          : xml::Child(features, "mechanisms", sasl::kNsSasl);
  for (xmpp_stanza_t* child = mechanisms == nullptr
                                  ? nullptr
                                  : xmpp_stanza_get_children(mechanisms);
       child != nullptr; child = xmpp_stanza_get_next(child)) {
    const char* name = xmpp_stanza_get_name(child);
    if (name != nullptr && std::string_view(name) == "mechanism" &&
        xml::TextOf(child) == sasl::kMechanismExternal) {
      return "";
    }
  }
  // The receiving server offers EXTERNAL only when our certificate is valid
  // for our domain (and it trusts our CA).
  return remote_domain_ + " does not offer SASL EXTERNAL";
}

void OutboundSession::HandleSaslOutcome(xmpp_stanza_t* stanza) {
  awaiting_sasl_ = false;
  if (xml::Is(stanza, "success", sasl::kNsSasl)) {
    sasl_done_ = true;
    Log("s2s.outbound.sasl_success", "mechanism=EXTERNAL");
    // The stream restarts (RFC 6120 §6.4.6): a new header from us, a new
    // stream (and id) from the server; nothing else carries over.
    stream_->ResetParser();
    remote_stream_id_.clear();
    SendHeader();
    return;
  }
  xmpp_stanza_t* condition = xmpp_stanza_get_children(stanza);
  while (condition != nullptr && xmpp_stanza_get_name(condition) == nullptr) {
    condition = xmpp_stanza_get_next(condition);
  }
  sasl_failed_ = true;
  Log("s2s.outbound.sasl_failed",
      absl::StrCat("condition=", condition == nullptr
                                     ? "none"
                                     : xmpp_stanza_get_name(condition)));
  if (trace_ != nullptr) {
    xmpp_stanza_t* text = xml::Child(stanza, "text", sasl::kNsSasl);
    trace_->OnPeerRefused(
        {diagnosis::PeerRefusal::Kind::kSaslFailure,
         condition == nullptr ? "" : xmpp_stanza_get_name(condition),
         text == nullptr ? "" : xml::TextOf(text)});
  }
  Authenticate(nullptr);
}

}  // namespace xmppfed::edge
