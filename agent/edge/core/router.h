// Where stanzas go. From a partner: its type is applied (invitations for
// PublicUnverified partners, agent/edge/sessions/partner_types.h), then to
// the component serving the local domain, or a bounce to the sender when
// none does. From a component: to another local domain, or to the partner
// owning the destination domain over the outbound stream of that pair of
// domains, else over a live XEP-0288 bidirectional inbound stream that
// authenticated the pair the other way, else over an outbound stream opened
// on demand, with the partner's type applied (status text
// stripped, invitations recorded); a domain no partner owns gets a
// <not-allowed/> bounce. Every decision reads the policy snapshot; nothing
// here waits for the store. Loop thread only.
#ifndef XMPPFED_AGENT_EDGE_CORE_ROUTER_H_
#define XMPPFED_AGENT_EDGE_CORE_ROUTER_H_

#include <strophe.h>

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "agent/edge/sessions/component_session.h"
#include "agent/edge/sessions/edge_services.h"
#include "agent/edge/sessions/inbound_session.h"
#include "agent/edge/sessions/outbound_session.h"
#include "agent/snapshot/policy_source.h"

namespace xmppfed::edge {

class Router {
 public:
  // Opens (registers and starts connecting) the stanza stream from `from`
  // to `to`, a domain of `partner`.
  using StreamOpener = std::function<OutboundSession*(
      const snapshot::PartnerRef& partner, const std::string& from,
      const std::string& to)>;
  // An <iq/> the edge itself answers or awaits (XEP-0199 pings and the
  // probes' pongs); true when it took the stanza.
  using ServerIqHandler =
      std::function<bool(const snapshot::PartnerRef&, xmpp_stanza_t*)>;

  Router(EdgeServices* services, snapshot::PolicySource* invitations,
         StreamOpener open_stream, ServerIqHandler server_iq);

  void DeliverLocally(xmpp_stanza_t* stanza);
  void DeliverFromPartner(const snapshot::PartnerRef& partner,
                          xmpp_stanza_t* stanza);
  void DeliverFromComponent(const std::string& component_domain,
                            xmpp_stanza_t* stanza);
  // Queues `stanza` on the stream from its sender's domain to `to` (a
  // domain of `partner`), opening it on demand. The stream keeps its own
  // reference.
  void SendToPartner(const snapshot::PartnerRef& partner, const std::string& to,
                     xmpp_stanza_t* stanza);

  bool AttachComponent(const std::string& domain, ComponentSession* session);
  // The component serving `domain`, null when none.
  ComponentSession* ComponentFor(std::string_view domain) const;
  // A bidirectional inbound stream's routes from us changed
  // (InboundSession::reverse_routes): each pair no other bidi stream
  // carries goes over it.
  void AddReverseRoutes(InboundSession* session);
  // The session closed: it no longer carries anything.
  void Forget(Session* session);

 private:
  // With the gateway's enableLoggingAllMessageBodies on, one `event` line
  // with the addresses and body of a <message/>; nothing otherwise.
  void LogMessageBody(std::string_view event, xmpp_stanza_t* stanza);

  EdgeServices* services_;
  snapshot::PolicySource* invitations_;
  StreamOpener open_stream_;
  ServerIqHandler server_iq_;
  // (local domain, remote domain) -> the stanza stream between them.
  std::map<std::pair<std::string, std::string>, OutboundSession*> outbound_;
  // (local domain, remote domain) -> the bidi inbound stream carrying it.
  std::map<std::pair<std::string, std::string>, InboundSession*> reverse_;
  std::map<std::string, ComponentSession*, std::less<>> components_;
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_CORE_ROUTER_H_
