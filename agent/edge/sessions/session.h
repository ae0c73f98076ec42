// What every live stream of the edge is to the rest of the agent: an id, a
// description for get-session, and a way to close it. Inbound and outbound
// S2S streams and component streams implement it.
#ifndef XMPPFED_AGENT_EDGE_SESSIONS_SESSION_H_
#define XMPPFED_AGENT_EDGE_SESSIONS_SESSION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "agent/edge/xml/stream_parser.h"

namespace xmppfed::edge {

// One row of get-session (SPEC §5).
struct SessionInfo {
  uint64_t id = 0;
  // "Inbound" or "Outbound"; components are "Component".
  std::string direction;
  std::string local_domain;
  std::string remote_domain;
  // The partner's identity ("" for a component).
  std::string partner;
  // "SaslExternal", "DialbackTls", "DialbackTcp"; "" while negotiating;
  // "Handshake" for a component.
  std::string auth;
  std::string tls_version;
  std::string tls_cipher;
  std::string peer_address;
  absl::Time established_at = absl::InfinitePast();
  uint64_t stanzas_in = 0;
  uint64_t stanzas_out = 0;
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
  // XEP-0288 was negotiated: the stream carries stanzas both ways.
  bool bidirectional = false;
  // XEP-0368: TLS from the first byte (no STARTTLS on this stream).
  bool direct_tls = false;
};

class XmlStream;

// Fills the facts `stream` knows (TLS version and cipher, peer address,
// counters) into `info`.
void AddStreamFacts(const XmlStream& stream, SessionInfo* info);

enum class SessionKind {
  kInbound,    // a partner's server opened it (S2S)
  kOutbound,   // this edge opened it to carry stanzas, or for a probe
  kVerifier,   // this edge opened it to verify a dialback key
  kComponent,  // the internal gateway (XEP-0114)
};

class Session {
 public:
  virtual ~Session() = default;
  virtual uint64_t id() const = 0;
  virtual SessionKind kind() const = 0;
  // Identities of the partners this stream is bound to: inbound, those with
  // a domain authenticated on it (what the peer proved, never what its
  // header claims); outbound, the partner it is for. Empty for components.
  // The session tells the registry when this changes.
  virtual std::vector<std::string> Partners() const = 0;
  // The XML stream, null while an outbound session is still connecting.
  virtual XmlStream* stream() = 0;
  virtual SessionInfo Info() const = 0;
  // Ends the stream with this stream error (e.g. kPolicyViolation when the
  // partner was removed, kSystemShutdown when the agent stops).
  virtual void Close(xml::StreamError error, const std::string& text) = 0;
  // The policy changed: the session re-checks whether it may continue and
  // closes itself when not.
  virtual void RecheckPolicy() = 0;
  // XEP-0288 was negotiated: the stream carries stanzas both ways (flow
  // control counts it as feeding, and fed by, both sides).
  virtual bool bidirectional() const { return false; }
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_SESSIONS_SESSION_H_
