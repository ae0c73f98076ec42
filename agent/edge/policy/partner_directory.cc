#include "agent/edge/policy/partner_directory.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "agent/policy/gateway_rules.h"
#include "agent/runtime/log.h"

namespace xmppfed::edge {

PartnerDirectory::PartnerDirectory(store::Store* store,
                                   std::vector<std::string> local_domains)
    : store_(store), local_domains_(std::move(local_domains)) {}

absl::Status PartnerDirectory::Refresh() {
  absl::StatusOr<std::optional<v1::GatewayConfig>> config =
      store_->GetGatewayConfig();
  if (!config.ok()) return config.status();
  gateway_ = config->has_value() ? **config : policy::DefaultGatewayConfig();
  absl::StatusOr<std::string> secret = store_->GetDialbackPassphrase();
  if (!secret.ok()) return secret.status();
  dialback_secret_ = *std::move(secret);
  return absl::OkStatus();
}

bool PartnerDirectory::IsInvited(const std::string& local_jid,
                                 const std::string& remote_jid) {
  absl::StatusOr<bool> invited = store_->HasInvitation(local_jid, remote_jid);
  if (!invited.ok()) {
    runtime::LogError(
        "edge.invitations",
        absl::StrCat("cannot look up ", local_jid, " -> ", remote_jid, ": ",
                     invited.status().ToString()));
    return false;
  }
  return *invited;
}

absl::Status PartnerDirectory::RecordInvitation(const std::string& local_jid,
                                                const std::string& remote_jid) {
  return store_->RecordInvitations({{local_jid, remote_jid}});
}

std::optional<v1::Partner> PartnerDirectory::PartnerFor(
    std::string_view domain) const {
  absl::StatusOr<std::optional<std::string>> owner =
      store_->FindDomainOwner(domain);
  if (!owner.ok()) {
    runtime::LogError("edge.policy",
                      absl::StrCat("cannot look up ", std::string(domain), ": ",
                                   owner.status().ToString()));
    return std::nullopt;
  }
  if (!owner->has_value()) return std::nullopt;
  absl::StatusOr<std::optional<v1::Partner>> partner =
      store_->GetPartner(**owner);
  if (!partner.ok() || !partner->has_value()) return std::nullopt;
  // Every live stream keeps its partner: the domain list (thousands for
  // some partners) is for the store's lookups, not for the streams.
  (*partner)->clear_additional_domains();
  return **partner;
}

bool PartnerDirectory::IsLocal(std::string_view domain) const {
  return std::find(local_domains_.begin(), local_domains_.end(), domain) !=
         local_domains_.end();
}

uint32_t PartnerDirectory::ConnectionLimitFor(
    const v1::Partner& partner) const {
  return partner.connection_limit() != 0 ? partner.connection_limit()
                                         : gateway_.partner_connection_limit();
}

policy::AllowedAuth AllowedFor(const v1::Partner& partner) {
  return policy::AllowedAuthFor(partner.tls_negotiation(),
                                partner.sasl_negotiation(),
                                partner.support_dialback_negotiation());
}

}  // namespace xmppfed::edge
