#include "agent/service/gateway_manager.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "agent/audit/field_changes.h"
#include "agent/audit/security_log.h"
#include "agent/policy/gateway_rules.h"
#include "agent/runtime/log.h"
#include "google/protobuf/util/message_differencer.h"

namespace xmppfed::service {
namespace {

v1::GatewayConfig WithoutMetadata(v1::GatewayConfig config) {
  config.clear_revision();
  config.clear_modified_at();
  return config;
}

}  // namespace

absl::StatusOr<v1::GatewayConfig> GatewayManager::Get() {
  absl::StatusOr<std::optional<v1::GatewayConfig>> stored =
      store_->GetGatewayConfig();
  if (!stored.ok()) return stored.status();
  // Settings added since the config was stored read as their defaults.
  if (stored->has_value()) return policy::WithGatewayDefaults(**stored);
  return policy::DefaultGatewayConfig();
}

absl::StatusOr<v1::GatewayConfigChange> GatewayManager::Set(
    const v1::SetGatewayConfigRequest& request, const audit::Actor& actor) {
  absl::StatusOr<v1::GatewayConfigChange> change = SetAudited(request, actor);
  if (!change.ok() && !request.what_if()) {
    trail_->RecordRefused(actor, {}, change.status());
  }
  return change;
}

absl::StatusOr<v1::GatewayConfigChange> GatewayManager::SetAudited(
    const v1::SetGatewayConfigRequest& request, const audit::Actor& actor) {
  std::lock_guard<std::mutex> lock(write_mutex_);
  absl::StatusOr<v1::GatewayConfig> current = Get();
  if (!current.ok()) return current.status();
  v1::GatewayConfig updated = *current;
  std::optional<std::string> passphrase;
  absl::StatusOr<std::vector<std::string>> warnings =
      policy::ApplyGatewayFields(request.fields(), &updated, &passphrase);
  if (!warnings.ok()) return warnings.status();

  v1::GatewayConfigChange change;
  for (const std::string& warning : *warnings) change.add_warnings(warning);
  *change.mutable_before() = *current;
  change.set_dialback_passphrase_changed(passphrase.has_value());
  bool unchanged = !passphrase.has_value() &&
                   google::protobuf::util::MessageDifferencer::Equals(
                       WithoutMetadata(updated), WithoutMetadata(*current));
  if (request.what_if() || unchanged) {
    *change.mutable_config() = unchanged ? *current : updated;
    return change;
  }
  v1::AuditEntry entry = trail_->Begin(actor);
  audit::AddChanges(
      audit::GatewayChanges(*current, updated, passphrase.has_value()), &entry);
  absl::StatusOr<v1::GatewayConfig> stored =
      store_->PutGatewayConfig(updated, passphrase, current->revision(), entry);
  if (!stored.ok()) return stored.status();
  // Field names only: the passphrase value never reaches a log.
  std::vector<std::string> fields;
  for (const v1::AuditChange& field : entry.changes()) {
    fields.push_back(field.field());
  }
  runtime::LogNotice("gateway.changed",
                     absl::StrCat("revision=", stored->revision(),
                                  " changed=", absl::StrJoin(fields, ","), " ",
                                  audit::CallerForLog(entry.caller())));
  audit::LogSecurityRelevantChanges(entry);
  *change.mutable_config() = *std::move(stored);
  change.set_applied(true);
  return change;
}

}  // namespace xmppfed::service
