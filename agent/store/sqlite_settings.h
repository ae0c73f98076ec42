// The settings table of the SQLite store: the gateway configuration (one
// serialized v1::GatewayConfig, so fields added to the message need no
// migration) and the dialback passphrase. Like sqlite_partners.h, the
// writers run inside a write transaction the caller opened, and a refusal is
// detected before anything is written.
#ifndef XMPPFED_AGENT_STORE_SQLITE_SETTINGS_H_
#define XMPPFED_AGENT_STORE_SQLITE_SETTINGS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "agent/store/sqlite_connection.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::store::sqlite {

absl::StatusOr<std::optional<v1::GatewayConfig>> ReadGatewayConfig(
    Connection* conn);

// Stores `config` with revision = stored + 1 (0 counts as stored while none
// is) and modified_at = now_us, and the passphrase when one is given.
// FAILED_PRECONDITION (field "revision") for a stale `expected_revision`.
absl::StatusOr<v1::GatewayConfig> WriteGatewayConfig(
    Connection* conn, const v1::GatewayConfig& config,
    const std::optional<std::string>& dialback_passphrase,
    std::optional<uint64_t> expected_revision, int64_t now_us);

// The settings exactly as given (a store copy); nullopt removes the
// gateway settings.
absl::Status RestoreSettings(Connection* conn,
                             const std::optional<v1::GatewayConfig>& config,
                             const std::string& dialback_passphrase);

absl::StatusOr<std::optional<std::string>> ReadDialbackPassphrase(
    Connection* conn);

// Stores a fresh random passphrase (32 bytes of OpenSSL RAND_bytes,
// hex-encoded) unless one is stored; true when it stored one.
absl::StatusOr<bool> EnsureDialbackPassphrase(Connection* conn);

}  // namespace xmppfed::store::sqlite

#endif  // XMPPFED_AGENT_STORE_SQLITE_SETTINGS_H_
