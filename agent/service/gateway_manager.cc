#include "agent/service/gateway_manager.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
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
  if (stored->has_value()) return **stored;
  return policy::DefaultGatewayConfig();
}

absl::StatusOr<v1::GatewayConfigChange> GatewayManager::Set(
    const v1::SetGatewayConfigRequest& request) {
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
  absl::StatusOr<v1::GatewayConfig> stored =
      store_->PutGatewayConfig(updated, passphrase, current->revision());
  if (!stored.ok()) return stored.status();
  // Field names only: the passphrase value never reaches a log.
  runtime::LogNotice(
      "gateway.changed",
      absl::StrCat(
          "revision=", stored->revision(),
          passphrase.has_value() ? " dialbackPassphrase=changed" : ""));
  *change.mutable_config() = *std::move(stored);
  change.set_applied(true);
  return change;
}

}  // namespace xmppfed::service
