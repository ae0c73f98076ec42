// The audit entry of a bulk call (import-partners, set-partner -,
// remove-partner -): one per call. Its changes count the records by outcome
// (e.g. "created", "updated", "unchanged", "refused"), its identities are
// the partners written (at most audit::kMaxIdentities listed, the change
// "identitiesNotListed" counting the others). Wired into the call's
// BatchStream, every transaction that wrote or refused something writes the
// entry as it then stands, in that transaction, so the entry always says
// exactly what was committed; an all-or-nothing call that was refused is
// recorded as refused; a dry run records nothing.
#ifndef XMPPFED_AGENT_SERVICE_BULK_AUDIT_H_
#define XMPPFED_AGENT_SERVICE_BULK_AUDIT_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "agent/audit/audit_trail.h"
#include "agent/service/batch_run.h"
#include "agent/store/store.h"

namespace xmppfed::service {

class BulkAudit {
 public:
  // The counts the entry shows, as they stand, in order.
  using Counts = std::function<std::vector<std::pair<std::string, uint64_t>>()>;

  // `trail` must outlive this.
  BulkAudit(audit::AuditTrail* trail, const audit::Actor& actor, BatchMode mode,
            Counts counts);

  // In the current transaction: `identity` was written; `weakened` when its
  // TLS is NotSupported now and was not before.
  void Written(const std::string& identity, bool weakened);
  // In the current transaction: a record was refused (nothing written).
  void Refused();

  // Hooks `stream`'s before_commit and after_commit to this (nothing for a
  // dry run).
  template <typename Request, typename Reply>
  void Attach(BatchStream<Request, Reply>& stream) {
    if (mode_ == BatchMode::kDryRun) return;
    stream.before_commit = [this](store::PartnerTransaction& txn) {
      return BeforeCommit(txn);
    };
    stream.after_commit = [this] { AfterCommit(); };
  }

  // At the end of the call, whatever its outcome: records an all-or-nothing
  // call that refused records as refused, and logs the security-relevant
  // part of what was committed (partners removed, TLS weakened).
  void Finish();

 private:
  absl::Status BeforeCommit(store::PartnerTransaction& txn);
  void AfterCommit();
  // The entry as it stands, with what the current transaction wrote when
  // `with_pending`.
  v1::AuditEntry Entry(bool with_pending) const;

  // Identities, the first kMaxIdentities kept, all counted.
  struct Identities {
    std::vector<std::string> listed;
    uint64_t total = 0;
    void Add(const std::string& identity);
    void Append(const Identities& more);
  };

  audit::AuditTrail* trail_;
  BatchMode mode_;
  Counts counts_;
  v1::AuditEntry entry_;  // its id once a transaction wrote it
  uint64_t entry_id_now_ = 0;
  Identities written_, written_now_;
  Identities weakened_, weakened_now_;
  uint64_t refused_ = 0;
  // The current transaction wrote or refused something.
  bool dirty_ = false;
};

}  // namespace xmppfed::service

#endif  // XMPPFED_AGENT_SERVICE_BULK_AUDIT_H_
