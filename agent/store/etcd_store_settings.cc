// The etcd store's keys beside the partners: the gateway settings and the
// dialback passphrase, the audit log, invitations, the nodes' records, and
// the store's state as get-agent shows it.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "agent/etcd/etcd_uri.h"
#include "agent/store/etcd_store.h"
#include "agent/store/stored_records.h"

namespace xmppfed::store {
namespace {

// How long get-agent waits for the members' status.
constexpr absl::Duration kStateTimeout = absl::Milliseconds(500);

}  // namespace

absl::StatusOr<std::optional<v1::GatewayConfig>> EtcdStore::GetGatewayConfig() {
  absl::StatusOr<std::optional<std::string>> bytes =
      GetValue(keys_.gateway_config());
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return std::optional<v1::GatewayConfig>();
  v1::GatewayConfig config;
  if (!config.ParseFromString(**bytes)) {
    return absl::DataLossError(
        "the stored gateway configuration cannot be parsed");
  }
  return std::optional<v1::GatewayConfig>(std::move(config));
}

absl::StatusOr<v1::GatewayConfig> EtcdStore::PutGatewayConfig(
    const v1::GatewayConfig& config,
    const std::optional<std::string>& dialback_passphrase,
    std::optional<uint64_t> expected_revision, const v1::AuditEntry& audit) {
  v1::GatewayConfig stored;
  absl::Status written =
      WriteWithRetries([&](EtcdTransactionView& view) -> absl::Status {
        absl::StatusOr<EtcdTransactionView::Read> current =
            view.Get(keys_.gateway_config());
        if (!current.ok()) return current.status();
        uint64_t revision = 0;
        if (current->value.has_value()) {
          v1::GatewayConfig before;
          if (!before.ParseFromString(*current->value)) {
            return absl::DataLossError(
                "the stored gateway configuration cannot be parsed");
          }
          revision = before.revision();
        }
        if (expected_revision.has_value() && *expected_revision != revision) {
          return StaleRevision("the gateway configuration", *expected_revision,
                               revision);
        }
        stored = config;
        stored.set_revision(revision + 1);
        SetTimestamp(NowMicros(), stored.mutable_modified_at());
        view.writes().Put(keys_.gateway_config(), stored.SerializeAsString(),
                          current->mod_revision);
        if (dialback_passphrase.has_value()) {
          absl::StatusOr<EtcdTransactionView::Read> secret =
              view.Get(keys_.dialback_passphrase());
          if (!secret.ok()) return secret.status();
          view.writes().Put(keys_.dialback_passphrase(), *dialback_passphrase,
                            secret->mod_revision);
        }
        return audit_.Stage(audit, view).status();
      });
  if (!written.ok()) return written;
  return stored;
}

absl::Status EtcdStore::AppendAuditEntry(const v1::AuditEntry& entry) {
  return WriteWithRetries(
      [&](EtcdTransactionView& view) {
        return audit_.Stage(entry, view).status();
      },
      Notice::kNone);
}

absl::Status EtcdStore::ForEachAuditEntry(
    const AuditFilter& filter,
    const std::function<bool(const v1::AuditEntry&)>& visit) {
  return audit_.ForEach(filter, visit);
}

absl::StatusOr<uint64_t> EtcdStore::PruneAuditEntries(absl::Time older_than,
                                                      uint64_t limit) {
  return audit_.Prune(older_than, limit);
}

absl::Status EtcdStore::RestoreSettings(
    const std::optional<v1::GatewayConfig>& config,
    const std::string& dialback_passphrase) {
  return WriteWithRetries([&](EtcdTransactionView& view) -> absl::Status {
    for (const std::string& key :
         {keys_.gateway_config(), keys_.dialback_passphrase()}) {
      absl::StatusOr<EtcdTransactionView::Read> current = view.Get(key);
      if (!current.ok()) return current.status();
      if (key == keys_.dialback_passphrase()) {
        view.writes().Put(key, dialback_passphrase, current->mod_revision);
      } else if (config.has_value()) {
        view.writes().Put(key, config->SerializeAsString(),
                          current->mod_revision);
      } else if (current->value.has_value()) {
        view.writes().Delete(key, current->mod_revision);
      }
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::string> EtcdStore::GetDialbackPassphrase() {
  absl::StatusOr<std::optional<std::string>> passphrase =
      GetValue(keys_.dialback_passphrase());
  if (!passphrase.ok()) return passphrase.status();
  if (!passphrase->has_value()) {
    return absl::DataLossError(absl::StrCat(
        "the etcd store holds no dialback passphrase under ", keys_.prefix(),
        " (it is created when the store is opened)"));
  }
  return **std::move(passphrase);
}

absl::Status EtcdStore::RecordInvitations(
    const std::vector<Invitation>& invitations) {
  return invitations_.Record(invitations);
}

absl::StatusOr<bool> EtcdStore::HasInvitation(std::string_view local_jid,
                                              std::string_view remote_jid) {
  return invitations_.Has(local_jid, remote_jid);
}

absl::Status EtcdStore::ForEachInvitation(
    const std::function<bool(const Invitation&)>& visit) {
  return invitations_.ForEach(visit);
}

absl::Status EtcdStore::PublishNode(const v1::Node& node) {
  return nodes_.Publish(node);
}

absl::StatusOr<std::vector<v1::Node>> EtcdStore::ListNodes() {
  return nodes_.List();
}

v1::StoreState EtcdStore::GetState() {
  v1::StoreState state;
  state.set_backend("etcd");
  state.set_prefix(keys_.prefix());
  absl::StatusOr<etcd::EtcdAddress> address = etcd::ParseEtcdUri(uri_);
  if (address.ok()) {
    for (const std::string& endpoint : address->endpoints) {
      state.add_endpoints(endpoint);
    }
  }
  // While etcd is known to be down, say so at once (the watch and the node
  // record's refresh notice when it is back).
  std::optional<absl::Time> down = client_->UnreachableSince();
  absl::StatusOr<etcd::ClusterState> cluster =
      down.has_value() ? client_->Unreachable("no member answered since then")
                       : client_->GetClusterState(kStateTimeout);
  if (cluster.ok()) {
    state.set_cluster_id(absl::StrCat(absl::Hex(cluster->cluster_id)));
    state.set_revision(cluster->revision);
    for (const etcd::MemberState& member : cluster->members) {
      v1::StoreMember* out = state.add_members();
      out->set_name(member.name);
      for (const std::string& url : member.client_urls) {
        out->add_client_urls(url);
      }
      out->set_reachable(member.reachable);
      out->set_leader(member.is_leader);
      out->set_version(member.version);
      out->set_error(member.error);
    }
  } else {
    state.set_error(std::string(cluster.status().message()));
  }
  std::optional<absl::Time> since = client_->UnreachableSince();
  state.set_reachable(!since.has_value());
  if (since.has_value()) {
    int64_t micros = absl::ToUnixMicros(*since);
    SetTimestamp(micros, state.mutable_unreachable_since());
  }
  return state;
}

}  // namespace xmppfed::store
