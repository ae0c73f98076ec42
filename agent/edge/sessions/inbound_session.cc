#include "agent/edge/sessions/inbound_session.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "agent/edge/dialback/dialback_key.h"
#include "agent/edge/sasl/sasl_external.h"
#include "agent/edge/sessions/stanzas.h"
#include "agent/edge/tls/identity.h"
#include "agent/edge/xml/stream_writer.h"
#include "agent/runtime/log.h"

namespace xmppfed::edge {
namespace {

using xml::StreamError;

bool IsStanza(xmpp_stanza_t* stanza) {
  const char* name = xmpp_stanza_get_name(stanza);
  if (name == nullptr) return false;
  std::string_view n(name);
  return n == "message" || n == "presence" || n == "iq";
}

}  // namespace

InboundSession::InboundSession(EdgeServices* services, int fd)
    : services_(services),
      id_(services->NewSessionId()),
      stream_(std::make_unique<XmlStream>(
          &services->loop(), services->xmpp(), fd, services->limits(),
          static_cast<XmlStreamObserver*>(this))),
      stream_id_(services->NewStreamId()) {}

InboundSession::~InboundSession() {
  *alive_ = false;
  net::EventLoop& loop = services_->loop();
  if (establishment_timer_ != 0) loop.CancelTimer(establishment_timer_);
}

void InboundSession::UseStreamId(std::string id) {
  stream_id_ = std::move(id);
  xml::StreamHeader error_header;
  error_header.default_ns = kNsServer;
  error_header.id = stream_id_;
  error_header.version = "1.0";
  stream_->set_header_for_errors(error_header);
}

absl::Status InboundSession::Start() {
  UseStreamId(stream_id_);
  if (absl::Status started = stream_->Start(); !started.ok()) return started;
  absl::Duration timeout = absl::Seconds(
      services_->policy().gateway().stream_establishment_timeout());
  establishment_timer_ = services_->loop().AddTimer(timeout, [this] {
    establishment_timer_ = 0;
    if (authenticated_.empty()) {
      Close(StreamError::kConnectionTimeout,
            "the stream was not established in time");
    }
  });
  absl::Duration inactivity = absl::Seconds(
      services_->policy().gateway().stream_inactivity_timeout());
  stream_->SetTimeouts(
      {.input_idle = inactivity, .output_stalled = inactivity});
  Log("s2s.inbound.connect", "peer=" + stream_->peer_address());
  return absl::OkStatus();
}

void InboundSession::Log(const std::string& event,
                         const std::string& details) const {
  runtime::LogInfo(event,
                   absl::StrCat("id=", id_, " local=", local_domain_,
                                " remote=", remote_domain_, " ", details));
}

SessionInfo InboundSession::Info() const {
  SessionInfo info;
  info.id = id_;
  info.direction = "Inbound";
  info.local_domain = local_domain_;
  info.remote_domain = remote_domain_;
  info.partner = partner_ ? partner_->identity() : "";
  info.auth = auth_;
  info.established_at = established_at_;
  AddStreamFacts(*stream_, &info);
  return info;
}

void InboundSession::Close(StreamError error, const std::string& text) {
  if (closed_) return;
  stream_->CloseWithError(error, text);
}

void InboundSession::RecheckPolicy() {
  if (closed_ || remote_domain_.empty()) return;
  snapshot::PartnerRef partner = services_->policy().Partner(remote_domain_);
  if (!partner) {
    Close(StreamError::kPolicyViolation,
          remote_domain_ + " is no longer a partner");
    return;
  }
  partner_ = partner;
  policy::AllowedAuth allowed = partner->allowed();
  if (!tls_done_ && allowed.tls_required) {
    Close(StreamError::kPolicyViolation,
          "the partner's policy now requires TLS");
    return;
  }
  if (sasl_done_ && !allowed.sasl_external) {
    Close(StreamError::kPolicyViolation,
          "the partner's policy no longer allows SASL EXTERNAL");
    return;
  }
  if (!sasl_done_ && !authenticated_.empty() && !DialbackAllowedNow(*partner)) {
    Close(StreamError::kPolicyViolation,
          "the partner's policy no longer allows dialback on this stream");
  }
}

bool InboundSession::DialbackAllowedNow(
    const snapshot::PartnerPolicy& partner) const {
  const policy::AllowedAuth& allowed = partner.allowed();
  return tls_done_ ? allowed.dialback_over_tls : allowed.dialback_over_tcp;
}

void InboundSession::OnStreamOpen(const xml::StreamHeader& header) {
  if (header.default_ns != kNsServer) {
    Close(StreamError::kInvalidNamespace,
          "a server-to-server stream is in namespace jabber:server");
    return;
  }
  if (header.version != "1.0") {
    Close(StreamError::kUnsupportedVersion, "version 1.0 is required");
    return;
  }
  std::string to = DomainOf(header.to.c_str());
  std::string from = DomainOf(header.from.c_str());
  if (tls_done_ && (to != local_domain_ || from != remote_domain_)) {
    Close(StreamError::kPolicyViolation,
          "the stream restarted with other domains");
    return;
  }
  if (!services_->policy().IsLocal(to)) {
    Close(StreamError::kHostUnknown, "'" + to + "' is not served here");
    return;
  }
  local_domain_ = to;
  if (from.empty()) {
    Close(StreamError::kPolicyViolation,
          "the stream header must name the originating domain in 'from'");
    return;
  }
  remote_domain_ = from;
  partner_ = services_->policy().Partner(from);
  if (!partner_) {
    Close(StreamError::kPolicyViolation,
          "'" + from + "' is not a federation partner of " + to);
    return;
  }
  if (!tls_done_) {
    if (services_->CountSessions() >
        services_->policy().gateway().connection_limit()) {
      Close(StreamError::kResourceConstraint, "too many streams");
      return;
    }
    if (services_->CountPartnerSessions(std::string(partner_->identity())) >
        services_->policy().ConnectionLimitFor(*partner_)) {
      Close(StreamError::kPolicyViolation,
            "the partner's connection limit is reached");
      return;
    }
  }
  Log("s2s.inbound.open", "partner=" + std::string(partner_->identity()));
  SendHeaderAndFeatures();
}

void InboundSession::SendHeaderAndFeatures() {
  policy::AllowedAuth allowed = partner_->allowed();
  bool can_tls = services_->CanServeTls(local_domain_);
  if (!tls_done_ && allowed.tls_required && !can_tls) {
    Close(StreamError::kPolicyViolation,
          "TLS is required with this partner, but this edge has no "
          "certificate for " +
              local_domain_);
    return;
  }
  xml::StreamHeader header;
  header.default_ns = kNsServer;
  header.from = local_domain_;
  header.to = remote_domain_;
  header.id = stream_id_;
  header.version = "1.0";
  header.prefixes = {{"db", kNsDialback}};
  std::string features = "<stream:features>";
  sasl_offered_ = false;
  if (sasl_done_) {
    // After SASL's restart nothing is left to negotiate (RFC 6120 §6.4.6).
    stream_->Send(xml::StreamHeaderXml(header, true) + features +
                  "</stream:features>");
    stream_->set_header_sent(true);
    return;
  }
  bool starttls_offered = !tls_done_ && allowed.tls_offered && can_tls;
  if (starttls_offered) {
    // Mandatory-to-negotiate (RFC 6120 §5.3.1) when the policy says so, or
    // when nothing the row allows can happen without TLS.
    bool required = allowed.tls_required || !allowed.dialback_over_tcp;
    features += std::string("<starttls xmlns='") + kNsTls + "'>" +
                (required ? "<required/>" : "") + "</starttls>";
  }
  std::string no_sasl;
  if (SaslExternalPossible(&no_sasl)) {
    sasl_offered_ = true;
    features += sasl::MechanismsFeatureXml();
  } else if (tls_done_ && allowed.sasl_external) {
    Log("s2s.inbound.sasl_not_offered", "reason=\"" + no_sasl + "\"");
  }
  bool dialback =
      DialbackAllowedNow(*partner_) && (tls_done_ || !allowed.tls_required);
  if (dialback) {
    features += std::string("<dialback xmlns='") + kNsDialbackFeature +
                "'><errors/></dialback>";
  }
  features += "</stream:features>";
  stream_->Send(xml::StreamHeaderXml(header, true) + features);
  stream_->set_header_sent(true);
  if (!starttls_offered && !dialback && !sasl_offered_) {
    // Never a weaker stream: a peer that cannot meet the policy is refused.
    Close(StreamError::kPolicyViolation,
          tls_done_ && allowed.sasl_external
              ? "SASL EXTERNAL is the only authentication the partner's "
                "policy allows on this stream, and " +
                    no_sasl
              : "no way to authenticate that the partner's policy allows is "
                "available on this stream");
  }
}

void InboundSession::OnStanza(xmpp_stanza_t* stanza) {
  if (closed_ || !partner_) return;
  if (xml::Is(stanza, "starttls", kNsTls)) {
    HandleStartTls();
  } else if (xml::Is(stanza, "auth", sasl::kNsSasl)) {
    HandleSaslAuth(stanza);
  } else if (xml::Is(stanza, "result", kNsDialback)) {
    HandleDialbackResult(stanza);
  } else if (xml::Is(stanza, "verify", kNsDialback)) {
    HandleDialbackVerify(stanza);
  } else if (IsStanza(stanza)) {
    HandleStanza(stanza);
  } else {
    Close(StreamError::kUnsupportedStanzaType,
          "unexpected element '" + std::string(xmpp_stanza_get_name(stanza)) +
              "'");
  }
}

void InboundSession::HandleStartTls() {
  policy::AllowedAuth allowed = partner_->allowed();
  if (tls_done_ || tls_started_ || !allowed.tls_offered ||
      !services_->CanServeTls(local_domain_)) {
    stream_->Send(std::string("<failure xmlns='") + kNsTls + "'/>");
    stream_->CloseGracefully("STARTTLS was not offered");
    return;
  }
  tls_started_ = true;
  stream_->Send(std::string("<proceed xmlns='") + kNsTls + "'/>");
  stream_->SuspendParser();
  SSL_CTX* ctx = services_->tls().server();
  stream_->StartTls([ctx](int fd) { return tls::TlsChannel::Server(ctx, fd); });
}

void InboundSession::OnTlsEstablished() {
  tls_done_ = true;
  stream_->set_header_sent(false);
  // The stream restarts over TLS with a new id (RFC 6120 §5.4.3.3); a
  // dialback key is then computed over the new one.
  UseStreamId(services_->NewStreamId());
  tls::TlsChannel* tls = stream_->tls();
  Log("s2s.inbound.tls",
      absl::StrCat("version=", tls->version(), " cipher=", tls->cipher()));
}

void InboundSession::HandleDialbackResult(xmpp_stanza_t* stanza) {
  std::string originating = DomainOf(xmpp_stanza_get_from(stanza));
  std::string receiving = DomainOf(xmpp_stanza_get_to(stanza));
  std::string key = xml::TextOf(stanza);
  if (!services_->policy().IsLocal(receiving)) {
    Close(StreamError::kHostUnknown, "'" + receiving + "' is not served here");
    return;
  }
  snapshot::PartnerRef partner = services_->policy().Partner(originating);
  if (!partner) {
    Close(StreamError::kPolicyViolation,
          "'" + originating + "' is not a federation partner");
    return;
  }
  if (!DialbackAllowedNow(*partner) ||
      (!tls_done_ && partner->allowed().tls_required)) {
    Close(StreamError::kPolicyViolation,
          tls_done_ ? "the partner's policy does not allow dialback"
                    : "the partner's policy does not allow dialback "
                      "without TLS");
    return;
  }
  if (key.empty()) {
    Close(StreamError::kNotAuthorized, "the dialback request has no key");
    return;
  }
  std::weak_ptr<bool> alive = alive_;
  services_->VerifyDialback(
      receiving, originating, stream_id_, key,
      [this, alive, receiving, originating](VerifyOutcome outcome) {
        std::shared_ptr<bool> still = alive.lock();
        if (!still || !*still || closed_) return;
        if (outcome == VerifyOutcome::kValid) {
          authenticated_.insert(originating);
          // A domain added by dialback to a stream SASL authenticated
          // keeps the stream's auth.
          if (!sasl_done_) auth_ = tls_done_ ? "DialbackTls" : "DialbackTcp";
          stream_->Send(DialbackResultXml(receiving, originating, "valid", ""));
          if (established_at_ == absl::InfinitePast()) {
            established_at_ = absl::Now();
            services_->SessionEstablished(this);
          }
          Log("s2s.inbound.authenticated",
              absl::StrCat("auth=", auth_, " domain=", originating));
          return;
        }
        if (outcome == VerifyOutcome::kInvalid) {
          stream_->Send(
              DialbackResultXml(receiving, originating, "invalid", ""));
          Close(StreamError::kNotAuthorized,
                "the dialback key for " + originating + " is not valid");
          return;
        }
        stream_->Send(
            "<db:result from='" + xml::EscapeXml(receiving) + "' to='" +
            xml::EscapeXml(originating) +
            "' type='error'><error type='cancel'><remote-server-not-found "
            "xmlns='" +
            kNsStanzaErrors + "'/></error></db:result>");
        Close(StreamError::kRemoteConnectionFailed,
              "cannot reach " + originating + " to verify its dialback key");
      });
}

void InboundSession::HandleDialbackVerify(xmpp_stanza_t* stanza) {
  // We are the authoritative server of `originating` (a local domain).
  std::string receiving = DomainOf(xmpp_stanza_get_from(stanza));
  std::string originating = DomainOf(xmpp_stanza_get_to(stanza));
  std::string id = xml::Attribute(stanza, "id");
  if (!services_->policy().IsLocal(originating)) {
    Close(StreamError::kHostUnknown,
          "'" + originating + "' is not served here");
    return;
  }
  if (!services_->policy().Partner(receiving)) {
    Close(StreamError::kPolicyViolation,
          "'" + receiving + "' is not a federation partner");
    return;
  }
  std::string expected = dialback::DialbackKey(
      services_->policy().dialback_secret(), receiving, originating, id);
  bool valid = dialback::KeysEqual(expected, xml::TextOf(stanza));
  stream_->Send(DialbackVerifyXml(originating, receiving, id,
                                  valid ? "valid" : "invalid", ""));
  Log("s2s.dialback.verify",
      absl::StrCat("for=", receiving, " valid=", valid ? "true" : "false"));
}

void InboundSession::HandleStanza(xmpp_stanza_t* stanza) {
  if (authenticated_.empty()) {
    Close(StreamError::kNotAuthorized,
          "stanzas before the stream was authenticated");
    return;
  }
  std::string from = DomainOf(xmpp_stanza_get_from(stanza));
  if (authenticated_.count(from) == 0) {
    Close(StreamError::kInvalidFrom,
          "'" + from + "' was not authenticated on this stream");
    return;
  }
  std::string to = DomainOf(xmpp_stanza_get_to(stanza));
  if (!services_->policy().IsLocal(to)) {
    Close(StreamError::kHostUnknown, "'" + to + "' is not served here");
    return;
  }
  services_->DeliverFromPartner(partner_, stanza);
}

void InboundSession::OnStreamEnd() { stream_->CloseGracefully("peer closed"); }

void InboundSession::OnClosed(const std::string& reason) {
  if (closed_) return;
  closed_ = true;
  Log("s2s.inbound.close", "reason=\"" + reason + "\"");
  services_->SessionClosed(this, reason);
}

}  // namespace xmppfed::edge
