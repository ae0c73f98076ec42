// Reading the elements the stream parser builds (libstrophe stanzas): name
// and namespace, attributes, text, children. A child without an xmlns of its
// own is in its parent's namespace, as the parser records xmlns only where
// the namespace changes (see stream_parser.h).
#ifndef XMPPFED_AGENT_EDGE_XML_ELEMENT_H_
#define XMPPFED_AGENT_EDGE_XML_ELEMENT_H_

#include <strophe.h>

#include <string>
#include <string_view>

namespace xmppfed::edge::xml {

// True when the stanza is the element `name` in namespace `ns`.
bool Is(xmpp_stanza_t* stanza, std::string_view name, std::string_view ns);

// An attribute or "" when absent.
std::string Attribute(xmpp_stanza_t* stanza, const char* name);
// The concatenated text of the element's direct text children.
std::string TextOf(xmpp_stanza_t* stanza);
// The first child element with this name and namespace, or nullptr. A
// child without an xmlns of its own is in the namespace of `stanza` (the
// stream parser records xmlns only where the namespace changes, as in
// Prosody's <starttls xmlns='...-tls'><required/></starttls>).
xmpp_stanza_t* Child(xmpp_stanza_t* stanza, std::string_view name,
                     std::string_view ns);

}  // namespace xmppfed::edge::xml

#endif  // XMPPFED_AGENT_EDGE_XML_ELEMENT_H_
