// ALPN (RFC 7301) for XEP-0368 direct TLS: the protocol "xmpp-server".
//   * A direct TLS connection this edge accepts selects "xmpp-server" when
//     the client offers it, goes on without ALPN when the client offers
//     none, and refuses any other offer with the no_application_protocol
//     alert: a client asking for another protocol is not an XMPP server.
//   * STARTTLS connections (the TLS of an XMPP stream already open) ignore
//     whatever is offered, as before ALPN existed.
//   * A direct TLS connection this edge opens offers "xmpp-server".
#ifndef XMPPFED_AGENT_EDGE_TLS_ALPN_H_
#define XMPPFED_AGENT_EDGE_TLS_ALPN_H_

#include <openssl/ssl.h>

#include <optional>
#include <string>
#include <string_view>

namespace xmppfed::edge::tls {

inline constexpr std::string_view kXmppServerAlpn = "xmpp-server";

// A protocol name list in ALPN's wire form (one length-prefixed name).
std::string AlpnWire(std::string_view protocol);

// Where "xmpp-server" sits in `offered` (a client's wire-form list): the
// offset of its name (after the length byte); nullopt when it is not
// offered or the list is malformed.
std::optional<size_t> FindXmppServerAlpn(const unsigned char* offered,
                                         unsigned int length);

// Marks `ssl` (a server connection) as direct TLS: the ALPN rule above
// applies to it (AlpnSelect).
void MarkDirectTls(SSL* ssl);

// SSL_CTX_set_alpn_select_cb for every server context.
int AlpnSelect(SSL* ssl, const unsigned char** out, unsigned char* out_length,
               const unsigned char* in, unsigned int in_length, void* arg);

}  // namespace xmppfed::edge::tls

#endif  // XMPPFED_AGENT_EDGE_TLS_ALPN_H_
