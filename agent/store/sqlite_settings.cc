#include "agent/store/sqlite_settings.h"

#include <string_view>
#include <utility>

#include "agent/store/sqlite_partners.h"

namespace xmppfed::store::sqlite {
namespace {

constexpr char kGatewayConfigKey[] = "gateway_config";
constexpr char kDialbackPassphraseKey[] = "dialback_passphrase";
constexpr char kSelectSetting[] = "SELECT value FROM settings WHERE key = ?1";
constexpr char kDeleteSetting[] = "DELETE FROM settings WHERE key = ?1";
constexpr char kPutSetting[] =
    "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)";

absl::StatusOr<std::optional<std::string>> ReadSetting(Connection* conn,
                                                       std::string_view key) {
  absl::StatusOr<Statement> stmt = conn->Prepare(kSelectSetting);
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, key);
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(std::string(stmt->Blob(0)));
}

absl::Status PutSetting(Connection* conn, std::string_view key,
                        std::string_view value) {
  absl::StatusOr<Statement> stmt = conn->Prepare(kPutSetting);
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, key).BindBlob(2, value);
  return stmt->Run();
}

}  // namespace

absl::StatusOr<std::optional<v1::GatewayConfig>> ReadGatewayConfig(
    Connection* conn) {
  absl::StatusOr<std::optional<std::string>> bytes =
      ReadSetting(conn, kGatewayConfigKey);
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return std::optional<v1::GatewayConfig>();
  v1::GatewayConfig config;
  if (!config.ParseFromString(**bytes)) {
    return absl::DataLossError(
        "the stored gateway configuration cannot be parsed");
  }
  return std::optional<v1::GatewayConfig>(std::move(config));
}

absl::StatusOr<v1::GatewayConfig> WriteGatewayConfig(
    Connection* conn, const v1::GatewayConfig& config,
    const std::optional<std::string>& dialback_passphrase,
    std::optional<uint64_t> expected_revision, int64_t now_us) {
  absl::StatusOr<std::optional<v1::GatewayConfig>> current =
      ReadGatewayConfig(conn);
  if (!current.ok()) return current.status();
  uint64_t revision = current->has_value() ? (*current)->revision() : 0;
  if (expected_revision.has_value() && *expected_revision != revision) {
    return StaleRevision("the gateway configuration", *expected_revision,
                         revision);
  }
  v1::GatewayConfig stored = config;
  stored.set_revision(revision + 1);
  SetTimestamp(now_us, stored.mutable_modified_at());
  if (absl::Status put =
          PutSetting(conn, kGatewayConfigKey, stored.SerializeAsString());
      !put.ok()) {
    return put;
  }
  if (dialback_passphrase.has_value()) {
    if (absl::Status put =
            PutSetting(conn, kDialbackPassphraseKey, *dialback_passphrase);
        !put.ok()) {
      return put;
    }
  }
  return stored;
}

absl::Status RestoreSettings(Connection* conn,
                             const std::optional<v1::GatewayConfig>& config,
                             const std::string& dialback_passphrase) {
  if (config.has_value()) {
    if (absl::Status put =
            PutSetting(conn, kGatewayConfigKey, config->SerializeAsString());
        !put.ok()) {
      return put;
    }
  } else {
    absl::StatusOr<Statement> stmt = conn->Prepare(kDeleteSetting);
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, std::string_view(kGatewayConfigKey));
    if (absl::Status deleted = stmt->Run(); !deleted.ok()) return deleted;
  }
  return PutSetting(conn, kDialbackPassphraseKey, dialback_passphrase);
}

absl::StatusOr<std::optional<std::string>> ReadDialbackPassphrase(
    Connection* conn) {
  return ReadSetting(conn, kDialbackPassphraseKey);
}

absl::StatusOr<bool> EnsureDialbackPassphrase(Connection* conn) {
  absl::StatusOr<std::optional<std::string>> stored =
      ReadSetting(conn, kDialbackPassphraseKey);
  if (!stored.ok()) return stored.status();
  if (stored->has_value()) return false;
  absl::StatusOr<std::string> passphrase = RandomPassphrase();
  if (!passphrase.ok()) return passphrase.status();
  if (absl::Status put = PutSetting(conn, kDialbackPassphraseKey, *passphrase);
      !put.ok()) {
    return put;
  }
  return true;
}

}  // namespace xmppfed::store::sqlite
