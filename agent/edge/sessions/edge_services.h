// What a session needs from the edge around it. The edge (agent/edge/core)
// implements it; keeping it an interface lets each session be read, and
// tested (tests/unit/edge/sessions), on its own, and keeps the sessions free
// of the edge's bookkeeping.
#ifndef XMPPFED_AGENT_EDGE_SESSIONS_EDGE_SERVICES_H_
#define XMPPFED_AGENT_EDGE_SESSIONS_EDGE_SERVICES_H_

#include <strophe.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "agent/edge/negotiation/dialback_receiving.h"
#include "agent/edge/net/event_loop.h"
#include "agent/edge/tls/tls_context.h"
#include "agent/edge/xml/stream_parser.h"
#include "agent/metrics/edge_metrics.h"
#include "agent/snapshot/policy_snapshot.h"

namespace xmppfed::edge {

class Session;
class ComponentSession;

class EdgeServices {
 public:
  virtual ~EdgeServices() = default;

  virtual net::EventLoop& loop() = 0;
  virtual xmpp_ctx_t* xmpp() = 0;
  // The TLS contexts for new streams; a reload replaces them. A TLS channel
  // keeps the contexts it was made from (TlsChannel's ctx_owner), so live
  // streams carry on with theirs.
  virtual std::shared_ptr<const tls::TlsContexts> tls() = 0;
  // True when the edge has a certificate for `local_domain` (STARTTLS can
  // be offered for streams to it).
  virtual bool CanServeTls(const std::string& local_domain) = 0;
  // The policy snapshot the edge decides from now (replaced between loop
  // rounds when a new one is published; a session keeps what it took from
  // it, e.g. its partners, as owning references).
  virtual const snapshot::PolicySnapshot& policy() = 0;
  virtual xml::StreamLimits limits() = 0;
  virtual std::string NewStreamId() = 0;
  virtual uint64_t NewSessionId() = 0;

  // Inbound streams on which a domain of `partner` is authenticated now
  // (its connectionLimit counts these).
  virtual size_t CountPartnerStreams(std::string_view partner) = 0;
  // `session`'s Partners() changed (a domain was authenticated, or moved to
  // another partner).
  virtual void PartnersChanged(Session* session) = 0;
  // A bidi stream's routes from us changed (InboundSession::reverse_routes,
  // or an outbound stream that became bidirectional): the router and flow
  // control take them.
  virtual void ReverseRoutesChanged(Session* session) {}
  // `session`'s XmlStream exists: the edge sets its output watermarks and
  // pauses the streams feeding it while it is full.
  virtual void WatchOutput(Session* session) = 0;

  // Asks `originating`'s authoritative server whether `key` is valid for
  // a stream from it to `receiving` with id `stream_id`; `done` runs on
  // the loop thread.
  virtual void VerifyDialback(const std::string& receiving,
                              const std::string& originating,
                              const std::string& stream_id,
                              const std::string& key,
                              std::function<void(VerifyOutcome)> done) = 0;

  // A stanza for a local domain (a bounce, or from a partner after its
  // type was applied): goes to the component serving that domain.
  virtual void DeliverLocally(xmpp_stanza_t* stanza) = 0;
  // A stanza an inbound stream carried from a domain of `partner` (the
  // partner owning its `from` domain), for a local domain: the partner's
  // type is applied (agent/edge/sessions/partner_types.h), then it goes on
  // as DeliverLocally.
  virtual void DeliverFromPartner(const snapshot::PartnerRef& partner,
                                  xmpp_stanza_t* stanza) = 0;
  // A stanza a component (the internal gateway) sent.
  virtual void DeliverFromComponent(const std::string& component_domain,
                                    xmpp_stanza_t* stanza) = 0;
  // Registers the component serving `domain`; false when one already does.
  virtual bool AttachComponent(const std::string& domain,
                               ComponentSession* session) = 0;

  // Where failures and bounces are counted (agent/metrics); by default
  // nowhere.
  virtual metrics::EdgeMetrics& metrics() {
    return metrics::NoEdgeMetrics::Instance();
  }

  // The session finished negotiating (for the log and the registry).
  virtual void SessionEstablished(Session* session) = 0;
  // An attempt to federate with `partner` (its identity) failed on
  // `session` at `step` (OutboundStream's steps; inbound: "stream",
  // "starttls", "auth"); for the partner's federation status.
  virtual void StreamFailed(Session* /*session*/,
                            const std::string& /*partner*/,
                            const std::string& /*step*/,
                            const std::string& /*reason*/) {}

  // An inbound stream's header was valid and answered (not authenticated
  // yet): the pre-authentication budget evicts it after idle connections.
  virtual void StreamOpened(Session* session) {}
  // The session's connection is gone; the edge deletes it later (never
  // from inside the caller's stack).
  virtual void SessionClosed(Session* session, const std::string& reason) = 0;
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_SESSIONS_EDGE_SERVICES_H_
