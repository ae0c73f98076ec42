// Namespace names the stream parser and writer know by heart.
#ifndef XMPPFED_AGENT_EDGE_XML_NAMESPACES_H_
#define XMPPFED_AGENT_EDGE_XML_NAMESPACES_H_

namespace xmppfed::edge::xml {

// The <stream:stream> element's namespace (RFC 6120 §4.8.1).
inline constexpr char kStreamsNamespace[] = "http://etherx.jabber.org/streams";
// Default namespaces a stream may declare: server-to-server (RFC 6120 §4.8.3)
// and the XEP-0114 component protocol.
inline constexpr char kServerNamespace[] = "jabber:server";
inline constexpr char kComponentNamespace[] = "jabber:component:accept";
// Conditions inside <stream:error> (RFC 6120 §4.9.3).
inline constexpr char kStreamErrorsNamespace[] =
    "urn:ietf:params:xml:ns:xmpp-streams";
// STARTTLS (RFC 6120 §5.4), Server Dialback's elements and stream feature
// (XEP-0220), and the conditions inside a stanza's <error/> (RFC 6120
// §8.3.3).
inline constexpr char kTlsNamespace[] = "urn:ietf:params:xml:ns:xmpp-tls";
inline constexpr char kDialbackNamespace[] = "jabber:server:dialback";
inline constexpr char kDialbackFeatureNamespace[] =
    "urn:xmpp:features:dialback";
inline constexpr char kStanzaErrorsNamespace[] =
    "urn:ietf:params:xml:ns:xmpp-stanzas";
// Bound to the "xml" prefix by the Namespaces in XML recommendation.
inline constexpr char kXmlNamespace[] = "http://www.w3.org/XML/1998/namespace";

}  // namespace xmppfed::edge::xml

#endif  // XMPPFED_AGENT_EDGE_XML_NAMESPACES_H_
