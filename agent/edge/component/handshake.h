// The XEP-0114 §3 handshake of a jabber:component:accept stream: the
// component proves it knows the shared secret by sending, as the text of
// <handshake/>, the lower-case hex SHA-1 of the stream id (from the server's
// stream header) immediately followed by the secret.
#ifndef XMPPFED_AGENT_EDGE_COMPONENT_HANDSHAKE_H_
#define XMPPFED_AGENT_EDGE_COMPONENT_HANDSHAKE_H_

#include <string>
#include <string_view>

namespace xmppfed::edge::component {

// The 40 lower-case hex digits of SHA1(stream_id + secret).
std::string HandshakeDigest(std::string_view stream_id,
                            std::string_view secret);

// True when `received` (the text of the component's <handshake/>) is the
// digest for `stream_id` and `secret`. Hex letters may be in either case
// (the XEP asks for lower case; some components send upper). Nothing else is
// forgiven: whitespace around the digits makes it a mismatch. The comparison
// takes the same time wherever the first wrong digit is.
bool HandshakeMatches(std::string_view received, std::string_view stream_id,
                      std::string_view secret);

}  // namespace xmppfed::edge::component

#endif  // XMPPFED_AGENT_EDGE_COMPONENT_HANDSHAKE_H_
