// Stream ids (RFC 6120 §4.7.3): unique and unpredictable, since dialback
// keys (XEP-0185) and component handshakes (XEP-0114) are computed over
// them. 128 bits from OpenSSL's CSPRNG, written as 32 lower-case hex digits.
#ifndef XMPPFED_AGENT_EDGE_STREAM_STREAM_ID_H_
#define XMPPFED_AGENT_EDGE_STREAM_STREAM_ID_H_

#include <string>

#include "absl/status/statusor.h"

namespace xmppfed::edge {

// INTERNAL when OpenSSL's generator fails (it could not be seeded).
absl::StatusOr<std::string> RandomStreamId();

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_STREAM_STREAM_ID_H_
