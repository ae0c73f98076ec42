// The agent's durable configuration store: partners, the gateway settings,
// the dialback passphrase, the invitations the edge remembers, and the audit
// log.
//
// The interface is backend-neutral (SQLite today, etcd later). Values arrive
// already validated by agent/policy; the store guarantees integrity only:
// a domain belongs to at most one partner, revisions grow by one per change,
// concurrent writers cannot lose each other's changes (expected_revision),
// and an OK reply means the change is durable.
//
// Errors follow agent/errors/field_error.h: ALREADY_EXISTS, NOT_FOUND and
// FAILED_PRECONDITION carry an ErrorDetail naming the field and value;
// UNAVAILABLE and INTERNAL report the backend itself.
//
// Audit (SPEC §7): every configuration write takes the v1::AuditEntry that
// describes it and stores it in the same transaction as the change, so a
// committed change always has its entry and no entry outlives a change that
// was refused or rolled back (even across kill -9; with etcd, for every
// node). The caller fills the entry (time, node, caller, verb, identities,
// changes, result); the store assigns its id, which grows with every entry
// appended and orders the log. Attempts that change nothing (refused,
// denied) are appended on their own with AppendAuditEntry. Audit entries
// are not configuration: the change listener never hears of them.
#ifndef XMPPFED_AGENT_STORE_STORE_H_
#define XMPPFED_AGENT_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::store {

// A local user's subscription request to a remote contact (SPEC §4), both
// bare JIDs as the edge normalised them.
struct Invitation {
  std::string local_jid;
  std::string remote_jid;
};

// What one committed change did, as the change listener hears of it, so a
// reader keeping the policy in memory patches its copy instead of reading
// the whole store again.
struct StoreChange {
  // Partners created or updated, as stored now (with their additional
  // domains); one entry per partner, its last state in the change.
  std::vector<v1::Partner> upserted;
  // Identities of removed partners.
  std::vector<std::string> removed;
  // The gateway settings or the dialback passphrase changed.
  bool gateway_changed = false;
  // Invitations recorded by another node sharing the store (etcd).
  std::vector<Invitation> invitations;
  // The extent of the change is unknown (e.g. after a compaction or a
  // broken watch): rebuild from a full read.
  bool reload_all = false;
  // The store's revision after the change: an etcd header revision; for
  // SQLite a counter of the commits since the store was opened.
  uint64_t revision = 0;
};

// Partner reads and writes inside one write transaction of the store, for
// bulk changes. Reads see the transaction's own writes. Refusals are those
// of the Store methods of the same names, and a refused write leaves the
// transaction exactly as it was, so the caller may go on with other writes.
class PartnerTransaction {
 public:
  virtual ~PartnerTransaction() = default;
  virtual absl::StatusOr<std::optional<v1::Partner>> GetPartner(
      std::string_view identity) = 0;
  virtual absl::StatusOr<std::optional<std::string>> FindDomainOwner(
      std::string_view domain) = 0;
  virtual absl::StatusOr<v1::Partner> CreatePartner(
      const v1::Partner& partner) = 0;
  virtual absl::StatusOr<v1::Partner> UpdatePartner(
      const v1::Partner& partner,
      std::optional<uint64_t> expected_revision) = 0;
  // Removes the partner whose identity is `identity` (with its additional
  // domains) and returns it as it was; NOT_FOUND (field "identity") if there
  // is none, as Store::DeletePartners.
  virtual absl::StatusOr<v1::Partner> DeletePartner(
      std::string_view identity) = 0;
  // For copying a whole store (xmppfed-agent --copy-store): stores
  // `partner` as given, its revision and timestamps included (additional
  // domains sorted), with CreatePartner's refusals.
  virtual absl::StatusOr<v1::Partner> RestorePartner(
      const v1::Partner& partner) = 0;
  // Writes `entry` in this transaction: appended with a new id when its id
  // is 0, else replacing the entry with that id (one that this run wrote in
  // an earlier, committed transaction: a bulk change spread over several
  // transactions keeps one entry up to date with what it committed so far).
  // Returns the entry's id.
  virtual absl::StatusOr<uint64_t> PutAuditEntry(
      const v1::AuditEntry& entry) = 0;
};

// Which audit entries a listing returns; empty fields do not narrow it.
struct AuditFilter {
  // Entries whose time is in [since, until].
  std::optional<absl::Time> since;
  std::optional<absl::Time> until;
  // Entries that list this identity.
  std::string identity;
  // Entries whose caller has this user name, or this uid when it is a
  // number.
  std::string caller;
  std::string verb;
  v1::AuditResult result = v1::AUDIT_RESULT_UNSPECIFIED;
};

// How a transaction body wants its changes ended.
enum class TransactionEnd { kCommit, kRollBack };

// Every method is safe to call from several threads at once.
class Store {
 public:
  virtual ~Store() = default;

  // The URI as given to OpenStore, e.g. "sqlite:/var/lib/xmppfed/xmppfed.db".
  virtual std::string uri() const = 0;

  // The partner whose identity is `identity` (not an additional domain), with
  // its additional domains sorted; nullopt if there is none.
  virtual absl::StatusOr<std::optional<v1::Partner>> GetPartner(
      std::string_view identity) = 0;

  // Identity of the partner owning `domain` as identity or additional domain.
  // Keys are exact: a wildcard additional domain "*.BASE" is a key of its
  // own (one owner, as any domain), and a subdomain it covers is not found
  // here (service::FindCoveringOwner walks the labels).
  virtual absl::StatusOr<std::optional<std::string>> FindDomainOwner(
      std::string_view domain) = 0;

  // Partners whose identity matches `glob` (SQLite GLOB semantics: * ? [a-z]
  // [^a-z], case-sensitive; empty = all), ordered by identity, until `visit`
  // returns false. Streams row by row (never loads all into memory) from one
  // consistent snapshot, on a read connection of its own, so writers are not
  // blocked meanwhile and `visit` may call any other method of the store.
  virtual absl::Status ForEachPartner(
      std::string_view glob,
      const std::function<bool(const v1::Partner&)>& visit) = 0;

  virtual absl::StatusOr<uint64_t> CountPartners() = 0;

  // Stores a new partner with revision 1 and created_at = modified_at = now
  // (microsecond precision); the stored form is returned (additional domains
  // sorted). A domain (identity or additional) already owned gives
  // ALREADY_EXISTS, field "identity" or "additionalDomains", value the domain,
  // owner the owning identity. A domain listed twice by the partner itself
  // gives INVALID_ARGUMENT. Durable when OK is returned.
  virtual absl::StatusOr<v1::Partner> CreatePartner(
      const v1::Partner& partner, const v1::AuditEntry& audit) = 0;

  // Replaces the partner whose identity is partner.identity(): revision =
  // stored + 1, modified_at = now, created_at kept. NOT_FOUND (field
  // "identity") if absent; FAILED_PRECONDITION (field "revision") if
  // `expected_revision` is set and differs from the stored one;
  // ALREADY_EXISTS as for CreatePartner when a domain belongs to another
  // partner.
  virtual absl::StatusOr<v1::Partner> UpdatePartner(
      const v1::Partner& partner, std::optional<uint64_t> expected_revision,
      const v1::AuditEntry& audit) = 0;

  // Builds the audit entry of a removal from the partners as they were
  // just before it, inside its transaction.
  using DescribeRemoval =
      std::function<v1::AuditEntry(const std::vector<v1::Partner>& removed)>;

  // Removes the partners in one transaction, all or nothing: NOT_FOUND (field
  // "identity", value the first missing identity) if any is absent. Returns
  // the removed partners in the order given (an identity listed twice is
  // removed and returned once); `describe` gets them too, and its entry is
  // stored with the removal.
  virtual absl::StatusOr<std::vector<v1::Partner>> DeletePartners(
      const std::vector<std::string>& identities,
      const DescribeRemoval& describe) = 0;

  // Runs `body` in one write transaction; other writers wait until it ends.
  // When `body` returns kCommit the changes are durable before OK is
  // returned (and the change listener runs); kRollBack or an error discards
  // them all. Returns `body`'s error, or the commit's.
  virtual absl::Status RunPartnerTransaction(
      const std::function<absl::StatusOr<TransactionEnd>(PartnerTransaction&)>&
          body) = 0;

  // As RunPartnerTransaction for a body that never commits (what-if): it is
  // always rolled back, whatever `body` returns, and no limit of the
  // backend's transactions applies to it (nothing is sent to commit).
  virtual absl::Status RunPartnerDryRun(
      const std::function<absl::StatusOr<TransactionEnd>(PartnerTransaction&)>&
          body) {
    return RunPartnerTransaction(
        [&](PartnerTransaction& txn) -> absl::StatusOr<TransactionEnd> {
          absl::StatusOr<TransactionEnd> end = body(txn);
          if (!end.ok()) return end.status();
          return TransactionEnd::kRollBack;
        });
  }

  // nullopt until a config was ever stored (the caller supplies defaults).
  virtual absl::StatusOr<std::optional<v1::GatewayConfig>>
  GetGatewayConfig() = 0;

  // Stores the whole config: revision = stored + 1 (1 for the first),
  // modified_at = now. FAILED_PRECONDITION (field "revision") when
  // `expected_revision` is set and differs from the stored revision (0 while
  // none is stored). When `dialback_passphrase` is set it is replaced in the
  // same transaction.
  virtual absl::StatusOr<v1::GatewayConfig> PutGatewayConfig(
      const v1::GatewayConfig& config,
      const std::optional<std::string>& dialback_passphrase,
      std::optional<uint64_t> expected_revision,
      const v1::AuditEntry& audit) = 0;

  // Appends an entry that records no change of its own (a refused or denied
  // attempt). Durable when OK is returned.
  virtual absl::Status AppendAuditEntry(const v1::AuditEntry& entry) = 0;

  // The entries `filter` selects, newest (highest id) first, with their ids,
  // until `visit` returns false. Streams like ForEachPartner: one consistent
  // snapshot on a read connection of its own, never the whole log in memory.
  virtual absl::Status ForEachAuditEntry(
      const AuditFilter& filter,
      const std::function<bool(const v1::AuditEntry&)>& visit) = 0;

  // Removes at most `limit` of the oldest entries whose time is before
  // `older_than`, in one short transaction, and returns how many it
  // removed: a caller prunes a large backlog in several calls without
  // holding up writers for long. Not a configuration change.
  virtual absl::StatusOr<uint64_t> PruneAuditEntries(absl::Time older_than,
                                                     uint64_t limit) = 0;

  // For copying a whole store (xmppfed-agent --copy-store): replaces the
  // gateway settings with `config` as given, revision and time included
  // (nullopt: none stored), and the dialback passphrase, in one
  // transaction; the listener hears gateway_changed.
  virtual absl::Status RestoreSettings(
      const std::optional<v1::GatewayConfig>& config,
      const std::string& dialback_passphrase) = 0;

  // The dialback passphrase. OpenStore guarantees one exists (generated on
  // first open from 32 random bytes), so it stays stable across restarts and
  // across edge nodes sharing the store. Never log it.
  virtual absl::StatusOr<std::string> GetDialbackPassphrase() = 0;

  // Remembers that each local user `local_jid` sent a subscription request
  // to `remote_jid` (both bare JIDs, as the edge normalised them): from then
  // on that contact may write to that user even when its partner is
  // PublicUnverified (SPEC §4). One transaction for the whole batch, durable
  // when OK is returned; pairs already stored (or listed twice) are fine.
  // Not a configuration change: this store's listener is not called (an
  // etcd store tells the listeners of other nodes, StoreChange::invitations).
  virtual absl::Status RecordInvitations(
      const std::vector<Invitation>& invitations) = 0;
  // Whether RecordInvitations ever stored this pair.
  virtual absl::StatusOr<bool> HasInvitation(std::string_view local_jid,
                                             std::string_view remote_jid) = 0;
  // Every stored invitation, in no particular order, until `visit` returns
  // false; streams from one consistent snapshot on a read connection of its
  // own (as ForEachPartner).
  virtual absl::Status ForEachInvitation(
      const std::function<bool(const Invitation&)>& visit) = 0;

  // `listener` is told what every committed change did (not a refused or
  // failed one, nor RecordInvitations), on the thread that made the change,
  // after the commit, with no store lock held: it may read the store, and
  // must not write to it. Calls never overlap and come in the order of the
  // changes' revisions. An etcd backend also calls it for changes made by
  // other nodes (from its watch), and with reload_all when it cannot say
  // what changed. Replaces any earlier listener; an empty function removes
  // it.
  virtual void SetChangeListener(
      std::function<void(const StoreChange&)> listener) = 0;

  // The agents sharing this store (SPEC §7, get-node). PublishNode stores
  // or refreshes this agent's record (call it every few seconds): on etcd
  // under a lease each call keeps alive, so the record of an agent that
  // stopped refreshing it is gone within the lease's time to live (and at
  // once when its store is destroyed); SQLite, which one agent owns, keeps
  // it in memory. ListNodes orders them by host name, then id.
  virtual absl::Status PublishNode(const v1::Node& node) = 0;
  virtual absl::StatusOr<std::vector<v1::Node>> ListNodes() = 0;

  // The store's state now (get-agent). Never fails: an unreachable store
  // says so in the state.
  virtual v1::StoreState GetState() = 0;
};

// "sqlite:PATH" opens (creating if needed) an SQLite store at PATH;
// "etcd://HOST:PORT[,HOST:PORT...]/PREFIX" the etcd store there (with the
// default StoreOptions below). Anything else gives INVALID_ARGUMENT naming
// field "store", the value and the accepted forms. The scheme is
// case-insensitive.
absl::StatusOr<std::unique_ptr<Store>> OpenStore(std::string_view uri);

// How to reach an etcd store (SPEC §7); the SQLite store ignores them.
struct StoreOptions {
  // TLS to etcd: trust anchors, and a client certificate and key.
  std::string etcd_ca_file;
  std::string etcd_cert;
  std::string etcd_key;
  // etcd's authentication; the password never appears in output or logs.
  std::string etcd_user;
  std::string etcd_password;
};

// As OpenStore(uri), reaching etcd as `options` say: UNAVAILABLE, naming
// the endpoints, when no member answers.
absl::StatusOr<std::unique_ptr<Store>> OpenStore(std::string_view uri,
                                                 const StoreOptions& options);

}  // namespace xmppfed::store

#endif  // XMPPFED_AGENT_STORE_STORE_H_
