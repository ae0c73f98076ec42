#include "agent/edge/tls/alpn.h"

namespace xmppfed::edge::tls {
namespace {

// The ex_data slot that marks a direct TLS server connection.
int DirectTlsIndex() {
  static const int index =
      SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

// Any non-null pointer marks the connection; nothing is owned.
char direct_tls_marker;

}  // namespace

std::string AlpnWire(std::string_view protocol) {
  std::string wire(1, static_cast<char>(protocol.size()));
  wire.append(protocol);
  return wire;
}

std::optional<size_t> FindXmppServerAlpn(const unsigned char* offered,
                                         unsigned int length) {
  size_t at = 0;
  while (at < length) {
    size_t name_length = offered[at];
    size_t name_at = at + 1;
    if (name_length == 0 || name_at + name_length > length) return std::nullopt;
    std::string_view name(reinterpret_cast<const char*>(offered + name_at),
                          name_length);
    if (name == kXmppServerAlpn) return name_at;
    at = name_at + name_length;
  }
  return std::nullopt;
}

void MarkDirectTls(SSL* ssl) {
  SSL_set_ex_data(ssl, DirectTlsIndex(), &direct_tls_marker);
}

int AlpnSelect(SSL* ssl, const unsigned char** out, unsigned char* out_length,
               const unsigned char* in, unsigned int in_length, void*) {
  if (SSL_get_ex_data(ssl, DirectTlsIndex()) == nullptr) {
    return SSL_TLSEXT_ERR_NOACK;  // STARTTLS: ALPN plays no part
  }
  std::optional<size_t> found = FindXmppServerAlpn(in, in_length);
  if (!found) return SSL_TLSEXT_ERR_ALERT_FATAL;  // no_application_protocol
  *out = in + *found;
  *out_length = static_cast<unsigned char>(kXmppServerAlpn.size());
  return SSL_TLSEXT_ERR_OK;
}

}  // namespace xmppfed::edge::tls
