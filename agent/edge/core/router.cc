#include "agent/edge/core/router.h"

#include "absl/strings/str_cat.h"
#include "agent/edge/sessions/partner_types.h"
#include "agent/edge/sessions/stanzas.h"
#include "agent/runtime/log.h"

namespace xmppfed::edge {

Router::Router(EdgeServices* services, snapshot::PolicySource* invitations,
               StreamOpener open_stream, ServerIqHandler server_iq)
    : services_(services),
      invitations_(invitations),
      open_stream_(std::move(open_stream)),
      server_iq_(std::move(server_iq)) {}

void Router::LogMessageBody(std::string_view event, xmpp_stanza_t* stanza) {
  // Bodies are private: only an operator's explicit setting logs them.
  if (!services_->policy().gateway().enable_logging_all_message_bodies()) {
    return;
  }
  const char* name = xmpp_stanza_get_name(stanza);
  if (name == nullptr || std::string_view(name) != "message") return;
  xmpp_stanza_t* body = xmpp_stanza_get_child_by_name(stanza, "body");
  if (body == nullptr) return;
  runtime::LogInfo(event, absl::StrCat("from=", xml::Attribute(stanza, "from"),
                                       " to=", xml::Attribute(stanza, "to"),
                                       " body=\"", xml::TextOf(body), "\""));
}

void Router::DeliverLocally(xmpp_stanza_t* stanza) {
  LogMessageBody("s2s.message.in", stanza);
  std::string to = DomainOf(xmpp_stanza_get_to(stanza));
  if (ComponentSession* component = ComponentFor(to)) {
    component->Send(stanza);
    return;
  }
  // No gateway for that domain: tell the sender, if it was a partner.
  xmpp_stanza_t* bounce =
      MakeBounce(services_->xmpp(), stanza, "service-unavailable");
  if (bounce == nullptr) return;
  services_->metrics().Bounced("service-unavailable");
  std::string bounce_to = DomainOf(xmpp_stanza_get_to(bounce));
  if (!services_->policy().IsLocal(bounce_to)) {
    DeliverFromComponent(to, bounce);
  }
  xmpp_stanza_release(bounce);
}

void Router::DeliverFromPartner(const snapshot::PartnerRef& partner,
                                xmpp_stanza_t* stanza) {
  services_->metrics().StanzaRelayed(metrics::Direction::kInbound);
  if (server_iq_ && server_iq_(partner, stanza)) return;
  if (NeedsInvitation(*partner, stanza)) {
    std::string local = BareJid(xmpp_stanza_get_to(stanza));
    std::string remote = BareJid(xmpp_stanza_get_from(stanza));
    if (!invitations_->IsInvited(local, remote)) {
      runtime::LogInfo(
          "s2s.blocked",
          absl::StrCat("partner=", std::string(partner->identity()),
                       " from=", remote, " to=", local,
                       " stanza=", xmpp_stanza_get_name(stanza),
                       " reason=\"PublicUnverified contact not invited\""));
      // A message is answered as if the user did not exist (RFC 6121
      // §8.5.2); a subscription request is dropped silently (§3.1.3).
      if (!IsSubscriptionRequest(stanza)) {
        if (xmpp_stanza_t* bounce =
                MakeBounce(services_->xmpp(), stanza, "service-unavailable")) {
          services_->metrics().Bounced("service-unavailable");
          DeliverFromComponent(DomainOf(xmpp_stanza_get_to(stanza)), bounce);
          xmpp_stanza_release(bounce);
        }
      }
      return;
    }
  }
  DeliverLocally(stanza);
}

void Router::DeliverFromComponent(const std::string& component_domain,
                                  xmpp_stanza_t* stanza) {
  std::string to = DomainOf(xmpp_stanza_get_to(stanza));
  const snapshot::PolicySnapshot& policy = services_->policy();
  if (policy.IsLocal(to)) {
    DeliverLocally(stanza);
    return;
  }
  snapshot::PartnerRef partner = policy.Partner(to);
  if (partner == nullptr) {
    if (xmpp_stanza_t* bounce =
            MakeBounce(services_->xmpp(), stanza, "not-allowed")) {
      services_->metrics().Bounced("not-allowed");
      DeliverLocally(bounce);
      xmpp_stanza_release(bounce);
    }
    return;
  }
  if (IsSubscriptionRequest(stanza)) {
    // Remembered for every partner type: a partner's type may change later.
    // In memory at once (the partner's next stanza sees it); stored by the
    // policy's writer thread, never on this one.
    invitations_->RecordInvitation(BareJid(xmpp_stanza_get_from(stanza)),
                                   BareJid(xmpp_stanza_get_to(stanza)));
  }
  xmpp_stanza_t* stripped =
      StripForPartner(services_->xmpp(), *partner, stanza);
  if (stripped != nullptr) stanza = stripped;
  LogMessageBody("s2s.message.out", stanza);
  SendToPartner(partner, to, stanza);
  if (stripped != nullptr) xmpp_stanza_release(stripped);
}

void Router::SendToPartner(const snapshot::PartnerRef& partner,
                           const std::string& to, xmpp_stanza_t* stanza) {
  services_->metrics().StanzaRelayed(metrics::Direction::kOutbound);
  std::string from = DomainOf(xmpp_stanza_get_from(stanza));
  auto key = std::make_pair(from, to);
  auto it = outbound_.find(key);
  if (it != outbound_.end() && it->second->ending()) {
    outbound_.erase(it);  // Forget leaves the new stream's entry alone
    it = outbound_.end();
  }
  if (it == outbound_.end()) {
    // The partner's bidi stream spares a connection of our own.
    if (auto reverse = reverse_.find(key); reverse != reverse_.end()) {
      if (reverse->second->SendStanza(stanza)) return;
      reverse_.erase(reverse);  // ending: a stream of our own takes over
    }
    OutboundSession* session = open_stream_(partner, from, to);
    outbound_[key] = session;
    session->Send(stanza);
    return;
  }
  it->second->Send(stanza);
}

bool Router::AttachComponent(const std::string& domain,
                             ComponentSession* session) {
  return components_.emplace(domain, session).second;
}

ComponentSession* Router::ComponentFor(std::string_view domain) const {
  auto it = components_.find(domain);
  return it == components_.end() ? nullptr : it->second;
}

void Router::AddReverseRoutes(InboundSession* session) {
  for (const DomainPair& pair : session->reverse_routes()) {
    reverse_.emplace(pair, session);
  }
}

void Router::Forget(Session* session) {
  if (session->kind() == SessionKind::kInbound) {
    for (const DomainPair& pair :
         static_cast<InboundSession*>(session)->reverse_routes()) {
      auto it = reverse_.find(pair);
      if (it != reverse_.end() && it->second == session) reverse_.erase(it);
    }
  } else if (session->kind() == SessionKind::kOutbound) {
    auto* outbound = static_cast<OutboundSession*>(session);
    auto it = outbound_.find(
        std::make_pair(outbound->local_domain(), outbound->remote_domain()));
    if (it != outbound_.end() && it->second == outbound) outbound_.erase(it);
  } else if (session->kind() == SessionKind::kComponent) {
    auto* component = static_cast<ComponentSession*>(session);
    auto it = components_.find(component->domain());
    if (it != components_.end() && it->second == component) {
      components_.erase(it);
    }
  }
}

}  // namespace xmppfed::edge
