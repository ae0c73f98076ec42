// Small pieces of XMPP the sessions and the router share: namespaces, the
// domain of an address, element builders, and bounces (RFC 6120 §8.3).
#ifndef XMPPFED_AGENT_EDGE_SESSIONS_STANZAS_H_
#define XMPPFED_AGENT_EDGE_SESSIONS_STANZAS_H_

#include <strophe.h>

#include <string>
#include <string_view>

#include "agent/edge/xml/element.h"

namespace xmppfed::edge {

inline constexpr char kNsServer[] = "jabber:server";
inline constexpr char kNsComponent[] = "jabber:component:accept";
inline constexpr char kNsStreams[] = "http://etherx.jabber.org/streams";
inline constexpr char kNsTls[] = "urn:ietf:params:xml:ns:xmpp-tls";
inline constexpr char kNsDialback[] = "jabber:server:dialback";
inline constexpr char kNsDialbackFeature[] = "urn:xmpp:features:dialback";
inline constexpr char kNsStanzaErrors[] = "urn:ietf:params:xml:ns:xmpp-stanzas";

// The domain part of a JID ("user@Example.COM/res" -> "example.com"),
// lower-cased (ASCII; the edge's domains are A-labels); "" for none.
std::string DomainOf(const char* jid);

// <db:result from to [type]>key</db:result> and <db:verify ...>.
std::string DialbackResultXml(const std::string& from, const std::string& to,
                              const std::string& type, const std::string& key);
std::string DialbackVerifyXml(const std::string& from, const std::string& to,
                              const std::string& id, const std::string& type,
                              const std::string& key);

// The error reply to `original` (addresses swapped, type='error', an
// <error type=...><condition xmlns=stanzas/></error> child), or nullptr
// when `original` is itself an error (never bounce an error). The caller
// releases it.
xmpp_stanza_t* MakeBounce(xmpp_ctx_t* ctx, xmpp_stanza_t* original,
                          std::string_view condition);

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_SESSIONS_STANZAS_H_
