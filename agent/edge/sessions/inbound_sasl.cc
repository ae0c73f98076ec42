// InboundSession's SASL EXTERNAL (XEP-0178): whether it may be offered on
// this stream, and the <auth/> exchange.
#include "absl/strings/str_cat.h"
#include "agent/edge/sasl/sasl_external.h"
#include "agent/edge/sessions/inbound_session.h"
#include "agent/edge/sessions/stanzas.h"
#include "agent/edge/tls/identity.h"
#include "agent/edge/xml/stream_writer.h"

namespace xmppfed::edge {
namespace {

using xml::StreamError;

// SASL attempts a peer may make on one stream before it is closed.
constexpr int kMaxSaslFailures = 3;

}  // namespace

bool InboundSession::SaslExternalPossible(std::string* why) const {
  if (!tls_done_) {
    *why = "no TLS";
    return false;
  }
  if (!partner_->allowed().sasl_external) {
    *why = "the partner's policy does not allow SASL";
    return false;
  }
  tls::TlsChannel* tls = stream_->tls();
  if (tls == nullptr || !tls->peer_certificate_present()) {
    *why = remote_domain_ + " presented no client certificate";
    return false;
  }
  if (!tls->peer_chain_trusted()) {
    *why = "the certificate of " + remote_domain_ + " is not trusted";
    return false;
  }
  if (tls::MatchXmppServerIdentity(tls->peer_certificate(), remote_domain_) ==
      tls::IdentityMatch::kNone) {
    *why = "the certificate presented is not valid for " + remote_domain_;
    return false;
  }
  return true;
}

void InboundSession::HandleSaslAuth(xmpp_stanza_t* stanza) {
  sasl::Failure failure = sasl::Failure::kInvalidMechanism;
  std::string detail;
  if (sasl_done_) {
    failure = sasl::Failure::kAborted;
    detail = "already authenticated";
  } else if (!tls_done_) {
    failure = sasl::Failure::kEncryptionRequired;
    detail = "SASL before TLS";
  } else if (!sasl_offered_) {
    SaslExternalPossible(&detail);
  } else {
    sasl::AuthCheck check =
        sasl::CheckAuth(xml::Attribute(stanza, "mechanism"),
                        xml::TextOf(stanza), remote_domain_);
    if (check.accepted) {
      stream_->Send(sasl::SuccessXml());
      sasl_done_ = true;
      sasl_offered_ = false;
      authenticated_.insert(remote_domain_);
      auth_ = "SaslExternal";
      // The stream restarts (RFC 6120 §6.4.6): the peer's next bytes are a
      // new stream header, answered with a new stream id; nothing of the
      // old stream's negotiation carries over except who was authenticated.
      stream_->ResetParser();
      stream_->set_header_sent(false);
      UseStreamId(services_->NewStreamId());
      if (established_at_ == absl::InfinitePast()) {
        established_at_ = absl::Now();
        services_->SessionEstablished(this);
      }
      Log("s2s.inbound.authenticated",
          absl::StrCat(
              "auth=SaslExternal domain=", remote_domain_, " identity=",
              std::string(tls::IdentityMatchName(tls::MatchXmppServerIdentity(
                  stream_->tls()->peer_certificate(), remote_domain_)))));
      return;
    }
    failure = check.failure;
    detail = check.detail;
  }
  stream_->Send(sasl::FailureXml(failure));
  Log("s2s.inbound.sasl_failed",
      absl::StrCat("condition=", std::string(sasl::FailureName(failure)),
                   " reason=\"", detail, "\""));
  if (++sasl_failures_ >= kMaxSaslFailures) {
    Close(StreamError::kPolicyViolation, "too many failed SASL attempts");
  }
}

}  // namespace xmppfed::edge
