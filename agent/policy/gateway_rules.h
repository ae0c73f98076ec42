// The gateway settings' defaults and rules (SPEC §3).
//
// Ranges (inclusive), chosen so that no value can switch a protection off or
// starve the edge:
//   connectionLimit             1 .. 1000000 streams in total
//   partnerConnectionLimit      1 .. connectionLimit (checked on the result,
//                               so lowering connectionLimit below it fails)
//   keepAliveInterval           10 .. 86400 s
//   streamEstablishmentTimeout  5 .. 3600 s
//   streamInactivityTimeout     10 .. 86400 s
//   maxStanzaSize               10000 (RFC 6120 §13.12: every server must
//                               accept stanzas of at least 10000 bytes)
//                               .. 16777216 bytes
//   streamOutputHighWatermark   16384 .. 1073741824 bytes
//   streamOutputLowWatermark    0 .. 1073741823 bytes, and below
//                               streamOutputHighWatermark (checked on the
//                               result, as the two connection limits are)
//   componentConnectionLimit    1 .. 10000 connections
//   unauthenticatedStreamLimit        1 .. 1000000 streams (default 100)
//   unauthenticatedStreamsPerAddress  1 .. 1000000 streams (default 10)
//   unauthenticatedStreamTimeout      1 .. 300 s (default 30; an inbound
//                                     stream must authenticate within the
//                                     lower of it and
//                                     streamEstablishmentTimeout)
//   dialbackPassphrase          16 .. 1024 characters (code points) of valid
//                               UTF-8, no control characters
//   auditRetentionDays          1 .. 36500 days (default 365)
// The passphrase never appears in an error: its value is given as
// "(hidden)" in both the message and the detail.
#ifndef XMPPFED_AGENT_POLICY_GATEWAY_RULES_H_
#define XMPPFED_AGENT_POLICY_GATEWAY_RULES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::policy {

struct Range {
  uint32_t min;
  uint32_t max;
};

inline constexpr Range kConnectionLimitRange = {1, 1000000};
inline constexpr Range kKeepAliveIntervalRange = {10, 86400};
inline constexpr Range kStreamEstablishmentTimeoutRange = {5, 3600};
inline constexpr Range kStreamInactivityTimeoutRange = {10, 86400};
inline constexpr Range kMaxStanzaSizeRange = {10000, 16777216};
inline constexpr Range kHighWatermarkRange = {16384, 1073741824};
inline constexpr Range kLowWatermarkRange = {0, 1073741823};
inline constexpr Range kComponentConnectionLimitRange = {1, 10000};
inline constexpr Range kAuditRetentionDaysRange = {1, 36500};
inline constexpr Range kUnauthenticatedStreamLimitRange = {1, 1000000};
inline constexpr Range kUnauthenticatedStreamsPerAddressRange = {1, 1000000};
inline constexpr Range kUnauthenticatedStreamTimeoutRange = {1, 300};
inline constexpr uint32_t kDefaultUnauthenticatedStreamTimeout = 30;
inline constexpr uint32_t kDefaultAuditRetentionDays = 365;
inline constexpr std::size_t kMinPassphraseCharacters = 16;
inline constexpr std::size_t kMaxPassphraseCharacters = 1024;

// connectionLimit 1000, partnerConnectionLimit 20, keepAliveInterval 300,
// streamEstablishmentTimeout 60, streamInactivityTimeout 600, maxStanzaSize
// 262144, streamOutputHighWatermark 1048576 (1 MiB),
// streamOutputLowWatermark 262144 (256 KiB), componentConnectionLimit 100,
// enableLoggingAllMessageBodies false, auditRetentionDays 365,
// unauthenticatedStreamLimit 100, unauthenticatedStreamsPerAddress 10,
// unauthenticatedStreamTimeout 30, enableBidirectionalStreams true,
// revision 0, no timestamp.
v1::GatewayConfig DefaultGatewayConfig();

// `stored` with every setting it lacks (0, or an absent optional field:
// stored by an agent that did not know the setting yet) set to its default.
v1::GatewayConfig WithGatewayDefaults(v1::GatewayConfig stored);

// Applies the fields present in `fields` to `*config` under the rules above
// and returns warnings:
//  * when the resulting keepAliveInterval >= streamInactivityTimeout (idle
//    streams would time out before a keep-alive is sent);
//  * when the request turns enableLoggingAllMessageBodies on (message
//    bodies will reach the log, SPEC §3).
// A valid dialbackPassphrase is handed back in `*new_passphrase` (the config
// message has no field for it; the caller stores it); `*new_passphrase` is
// left alone when the field is absent, and is only written on success.
// `new_passphrase` may be null only for a caller that never accepts a
// passphrase: a present passphrase then fails with INTERNAL.
// Errors are INVALID_ARGUMENT naming the field; on error `*config` may have
// been partly modified, so callers work on a copy.
absl::StatusOr<std::vector<std::string>> ApplyGatewayFields(
    const v1::GatewayConfigFields& fields, v1::GatewayConfig* config,
    std::optional<std::string>* new_passphrase);

}  // namespace xmppfed::policy

#endif  // XMPPFED_AGENT_POLICY_GATEWAY_RULES_H_
