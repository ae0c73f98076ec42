// Small pieces of XMPP the sessions and the router share: namespaces, the
// domain of an address, and bounces (RFC 6120 §8.3).
#ifndef XMPPFED_AGENT_EDGE_SESSIONS_STANZAS_H_
#define XMPPFED_AGENT_EDGE_SESSIONS_STANZAS_H_

#include <strophe.h>

#include <string>
#include <string_view>

#include "agent/edge/xml/element.h"
#include "agent/edge/xml/namespaces.h"

namespace xmppfed::edge {

inline constexpr auto& kNsServer = xml::kServerNamespace;
inline constexpr auto& kNsComponent = xml::kComponentNamespace;
inline constexpr auto& kNsStreams = xml::kStreamsNamespace;
inline constexpr auto& kNsTls = xml::kTlsNamespace;
inline constexpr auto& kNsDialback = xml::kDialbackNamespace;
inline constexpr auto& kNsDialbackFeature = xml::kDialbackFeatureNamespace;
inline constexpr auto& kNsStanzaErrors = xml::kStanzaErrorsNamespace;

// <message/>, <presence/> or <iq/> (what a stream relays, as opposed to its
// negotiation's elements).
bool IsStanza(xmpp_stanza_t* stanza);

// The domain part of a JID ("user@Example.COM/res" -> "example.com"),
// lower-cased (ASCII; the edge's domains are A-labels); "" for none.
std::string DomainOf(const char* jid);

// The error reply to `original` (addresses swapped, type='error', an
// <error type=...><condition xmlns=stanzas/></error> child), or nullptr
// when `original` is itself an error (never bounce an error). The caller
// releases it.
xmpp_stanza_t* MakeBounce(xmpp_ctx_t* ctx, xmpp_stanza_t* original,
                          std::string_view condition);

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_SESSIONS_STANZAS_H_
