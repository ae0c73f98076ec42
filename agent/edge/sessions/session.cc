#include "agent/edge/sessions/session.h"

#include "agent/edge/stream/xml_stream.h"

namespace xmppfed::edge {

void AddStreamFacts(const XmlStream& stream, SessionInfo* info) {
  if (tls::TlsChannel* tls = stream.tls()) {
    info->tls_version = tls->version();
    info->tls_cipher = tls->cipher();
  }
  info->peer_address = stream.peer_address();
  const StreamCounters& counters = stream.counters();
  info->stanzas_in = counters.stanzas_in;
  info->stanzas_out = counters.stanzas_out;
  info->bytes_in = counters.bytes_in;
  info->bytes_out = counters.bytes_out;
}

}  // namespace xmppfed::edge
