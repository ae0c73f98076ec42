// Limits of the v1 contract that both ends state: the agent enforces them,
// the CLI advertises them in its help and refuses a value past them before
// sending it. Header-only and free of protobuf, like spelling.h.
#ifndef XMPPFED_PROTO_XMPPFED_V1_LIMITS_H_
#define XMPPFED_PROTO_XMPPFED_V1_LIMITS_H_

#include <cstddef>
#include <cstdint>

namespace xmppfed::v1 {

// A partner's connectionLimit: 0 (the gateway's partnerConnectionLimit) up
// to this many streams.
inline constexpr std::uint32_t kMaxPartnerConnectionLimit = 100000;

}  // namespace xmppfed::v1

#endif  // XMPPFED_PROTO_XMPPFED_V1_LIMITS_H_
