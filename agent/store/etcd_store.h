// The etcd backend of the Store: several agents share one configuration.
//
// The keys are laid out as etcd_keys.h says. Every change is one etcd
// transaction that compares what it read (a domain key's create revision
// for a domain it claims, a partner key's mod revision for a partner it
// changes), so a domain has one owner and no change is lost across nodes;
// etcd acknowledges a transaction once a quorum of members made it
// durable. Writes that race with another node are retried from a fresh
// read (or refused, when the caller's expected revision is stale).
//
// Every change writes its audit entry in its own transaction
// (etcd_audit.h), so a change and its entry commit together on every node
// or not at all.
//
// etcd's limits (128 operations per transaction, 1.5 MiB per request; two
// operations and 300,000 bytes of each kept for the audit entry, see
// etcd_write_set.h): a partner may have at most 124 additional domains;
// RunPartnerTransaction commits one etcd transaction, all or nothing, and a
// write that would overflow it is refused with RESOURCE_EXHAUSTED before
// anything is sent (see etcd_partner_writer.h); a bulk caller commits what it
// has and goes on in a new transaction. A transaction whose reads changed
// before it committed fails with ABORTED and writes nothing; so does one
// whose audit entry lost its id to another node's append between
// PutAuditEntry and the commit (one round trip).
//
// Every node's changes reach the change listener through a Watch, in
// revision order (etcd_change_feed.h).
#ifndef XMPPFED_AGENT_STORE_ETCD_STORE_H_
#define XMPPFED_AGENT_STORE_ETCD_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agent/etcd/client.h"
#include "agent/store/etcd_audit.h"
#include "agent/store/etcd_change_feed.h"
#include "agent/store/etcd_invitations.h"
#include "agent/store/etcd_keys.h"
#include "agent/store/etcd_node_registry.h"
#include "agent/store/etcd_partner_writer.h"
#include "agent/store/store.h"

namespace xmppfed::store {

class EtcdStore : public Store {
 public:
  // Connects to the endpoints of `uri`, checks (or writes) the layout
  // version under its prefix, creates the dialback passphrase if the
  // prefix has none, and starts following other nodes' changes.
  static absl::StatusOr<std::unique_ptr<EtcdStore>> Open(
      std::string uri, const StoreOptions& options);
  ~EtcdStore() override;

  std::string uri() const override { return uri_; }
  absl::StatusOr<std::optional<v1::Partner>> GetPartner(
      std::string_view identity) override;
  absl::StatusOr<std::optional<std::string>> FindDomainOwner(
      std::string_view domain) override;
  absl::Status ForEachPartner(
      std::string_view glob,
      const std::function<bool(const v1::Partner&)>& visit) override;
  absl::StatusOr<uint64_t> CountPartners() override;
  absl::StatusOr<v1::Partner> CreatePartner(
      const v1::Partner& partner, const v1::AuditEntry& audit) override;
  absl::StatusOr<v1::Partner> UpdatePartner(
      const v1::Partner& partner, std::optional<uint64_t> expected_revision,
      const v1::AuditEntry& audit) override;
  absl::StatusOr<std::vector<v1::Partner>> DeletePartners(
      const std::vector<std::string>& identities,
      const DescribeRemoval& describe) override;
  absl::Status RunPartnerTransaction(
      const std::function<absl::StatusOr<TransactionEnd>(PartnerTransaction&)>&
          body) override;
  absl::Status RunPartnerDryRun(
      const std::function<absl::StatusOr<TransactionEnd>(PartnerTransaction&)>&
          body) override;
  absl::StatusOr<std::optional<v1::GatewayConfig>> GetGatewayConfig() override;
  absl::StatusOr<v1::GatewayConfig> PutGatewayConfig(
      const v1::GatewayConfig& config,
      const std::optional<std::string>& dialback_passphrase,
      std::optional<uint64_t> expected_revision,
      const v1::AuditEntry& audit) override;
  absl::Status AppendAuditEntry(const v1::AuditEntry& entry) override;
  absl::Status ForEachAuditEntry(
      const AuditFilter& filter,
      const std::function<bool(const v1::AuditEntry&)>& visit) override;
  absl::StatusOr<uint64_t> PruneAuditEntries(absl::Time older_than,
                                             uint64_t limit) override;
  absl::Status RestoreSettings(const std::optional<v1::GatewayConfig>& config,
                               const std::string& dialback_passphrase) override;
  absl::StatusOr<std::string> GetDialbackPassphrase() override;
  absl::Status RecordInvitations(
      const std::vector<Invitation>& invitations) override;
  absl::StatusOr<bool> HasInvitation(std::string_view local_jid,
                                     std::string_view remote_jid) override;
  absl::Status ForEachInvitation(
      const std::function<bool(const Invitation&)>& visit) override;
  void SetChangeListener(
      std::function<void(const StoreChange&)> listener) override;
  absl::Status PublishNode(const v1::Node& node) override;
  absl::StatusOr<std::vector<v1::Node>> ListNodes() override;
  v1::StoreState GetState() override;

  etcd::Client& client() { return *client_; }
  const EtcdKeys& keys() const { return keys_; }

 private:
  EtcdStore(std::string uri, std::string prefix,
            std::unique_ptr<etcd::Client> client);

  absl::Status Initialize();
  // Whether a write waits until the change listener heard of it: not for
  // what is no configuration change (audit entries alone).
  enum class Notice { kWaitForListener, kNone };
  // Sends `writes` as one transaction and waits until the listener heard
  // of it. ABORTED when something it read changed meanwhile; nothing is
  // then written, and `conflict` (when given) holds the failure branch's
  // reads of the keys. OK for an empty set. `view` (the one `writes` were
  // staged in, when given) gives up its turn of the audit log as soon as
  // etcd answered, not after the listener heard of the change: the next
  // append of this node reads the counter afresh anyway.
  absl::Status Commit(const EtcdWriteSet& writes,
                      etcdserverpb::TxnResponse* conflict = nullptr,
                      Notice notice = Notice::kWaitForListener,
                      EtcdTransactionView* view = nullptr);
  // Runs `change` against a fresh view and commits what it staged, again
  // from a fresh read while another writer wins the race. `change`'s own
  // error ends it.
  absl::Status WriteWithRetries(
      const std::function<absl::Status(EtcdTransactionView&)>& change,
      Notice notice = Notice::kWaitForListener);
  absl::StatusOr<std::optional<std::string>> GetValue(const std::string& key);

  const std::string uri_;
  const EtcdKeys keys_;
  // Marks this node's invitation values (see etcd_change_feed.h).
  const std::string instance_;
  std::unique_ptr<etcd::Client> client_;
  EtcdInvitations invitations_;
  EtcdNodeRegistry nodes_;
  EtcdAuditLog audit_;
  // Last: stopped first, before the client goes away.
  std::unique_ptr<EtcdChangeFeed> feed_;
};

}  // namespace xmppfed::store

#endif  // XMPPFED_AGENT_STORE_ETCD_STORE_H_
