#include "agent/edge/sessions/component_session.h"

#include "absl/strings/str_cat.h"
#include "agent/edge/component/handshake.h"
#include "agent/edge/sessions/stanzas.h"
#include "agent/edge/xml/stream_writer.h"
#include "agent/runtime/log.h"

namespace xmppfed::edge {

using xml::StreamError;

ComponentSession::ComponentSession(EdgeServices* services, int fd,
                                   std::string secret)
    : services_(services),
      id_(services->NewSessionId()),
      secret_(std::move(secret)),
      stream_(std::make_unique<XmlStream>(
          &services->loop(), services->xmpp(), fd, services->limits(),
          static_cast<XmlStreamObserver*>(this))),
      stream_id_(services->NewStreamId()) {}

absl::Status ComponentSession::Start() {
  xml::StreamHeader error_header;
  error_header.default_ns = kNsComponent;
  error_header.id = stream_id_;
  stream_->set_header_for_errors(error_header);
  absl::Duration inactivity = absl::Seconds(
      services_->policy().gateway().stream_inactivity_timeout());
  stream_->SetTimeouts({.output_stalled = inactivity});
  return stream_->Start();
}

void ComponentSession::Send(xmpp_stanza_t* stanza) {
  if (!closed_ && authenticated_) stream_->SendStanza(stanza);
}

SessionInfo ComponentSession::Info() const {
  SessionInfo info;
  info.id = id_;
  info.direction = "Component";
  info.local_domain = domain_;
  info.auth = authenticated_ ? "Handshake" : "";
  info.established_at = established_at_;
  AddStreamFacts(*stream_, &info);
  return info;
}

void ComponentSession::Close(StreamError error, const std::string& text) {
  if (!closed_) stream_->CloseWithError(error, text);
}

void ComponentSession::OnStreamOpen(const xml::StreamHeader& header) {
  if (header.default_ns != kNsComponent) {
    Close(StreamError::kInvalidNamespace,
          "a component stream is in namespace jabber:component:accept");
    return;
  }
  std::string domain = DomainOf(header.to.c_str());
  if (!services_->policy().IsLocal(domain)) {
    Close(StreamError::kHostUnknown,
          "'" + domain + "' is not a local domain of this edge");
    return;
  }
  domain_ = domain;
  xml::StreamHeader reply;
  reply.default_ns = kNsComponent;
  reply.from = domain_;
  reply.id = stream_id_;
  stream_->Send(xml::StreamHeaderXml(reply, true));
  stream_->set_header_sent(true);
}

void ComponentSession::OnStanza(xmpp_stanza_t* stanza) {
  if (closed_) return;
  const char* name = xmpp_stanza_get_name(stanza);
  if (!authenticated_) {
    if (name == nullptr || std::string_view(name) != "handshake") {
      Close(StreamError::kNotAuthorized, "the handshake must come first");
      return;
    }
    if (!component::HandshakeMatches(xml::TextOf(stanza), stream_id_,
                                     secret_)) {
      runtime::LogWarning("component.refused",
                          absl::StrCat("id=", id_, " domain=", domain_,
                                       " reason=\"wrong secret\""));
      Close(StreamError::kNotAuthorized, "the handshake does not match");
      return;
    }
    if (!services_->AttachComponent(domain_, this)) {
      Close(StreamError::kConflict, "a component already serves " + domain_);
      return;
    }
    authenticated_ = true;
    established_at_ = absl::Now();
    stream_->Send("<handshake/>");
    runtime::LogInfo("component.connected",
                     absl::StrCat("id=", id_, " domain=", domain_,
                                  " peer=", stream_->peer_address()));
    services_->SessionEstablished(this);
    return;
  }
  std::string from = DomainOf(xmpp_stanza_get_from(stanza));
  if (from != domain_) {
    Close(StreamError::kInvalidFrom,
          "the component of " + domain_ + " cannot send from '" + from + "'");
    return;
  }
  services_->DeliverFromComponent(domain_, stanza);
}

void ComponentSession::OnStreamEnd() {
  stream_->CloseGracefully("component closed its stream");
}

void ComponentSession::OnClosed(const std::string& reason) {
  if (closed_) return;
  closed_ = true;
  runtime::LogInfo("component.close",
                   absl::StrCat("id=", id_, " domain=", domain_, " reason=\"",
                                reason, "\""));
  services_->SessionClosed(this, reason);
}

}  // namespace xmppfed::edge
