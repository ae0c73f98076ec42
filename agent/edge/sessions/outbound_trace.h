// What an outbound stream reports as it negotiates, for a watcher that
// wants the steps rather than the stanzas: `xmppfed test-partner`'s probe
// (agent/edge/probe). Every call comes on the loop thread, in stream order.
#ifndef XMPPFED_AGENT_EDGE_SESSIONS_OUTBOUND_TRACE_H_
#define XMPPFED_AGENT_EDGE_SESSIONS_OUTBOUND_TRACE_H_

#include <strophe.h>

#include <string>

#include "agent/edge/diagnosis/peer_refusal.h"
#include "agent/edge/tls/tls_channel.h"

namespace xmppfed::edge {

class OutboundTrace {
 public:
  virtual ~OutboundTrace() = default;
  // The TCP connection to `peer` ("192.0.2.7:5269") is up.
  virtual void OnConnected(const std::string& peer) = 0;
  // The peer's <stream:features/> (each time: before and after STARTTLS,
  // and after SASL).
  virtual void OnFeatures(xmpp_stanza_t* features) = 0;
  // The TLS handshake finished (the stream restarts next).
  virtual void OnTls(const tls::TlsChannel& channel) = 0;
  // The stream is authenticated ("SaslExternal", "DialbackTls" or
  // "DialbackTcp") and ready for stanzas.
  virtual void OnAuthenticated(const std::string& auth) = 0;
  // The stream failed before it was authenticated, or was closed; `reason`
  // is the log's wording.
  virtual void OnFailed(const std::string& reason) = 0;
  // The peer refused STARTTLS, SASL EXTERNAL or this edge's dialback key,
  // and said how (before OnFailed when that ends the attempt). A stream
  // error reaches OnFailed's reason instead.
  virtual void OnPeerRefused(const diagnosis::PeerRefusal& refusal) {
    (void)refusal;
  }
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_SESSIONS_OUTBOUND_TRACE_H_
