// The audit log of the etcd store (see the audit contract in store.h),
// shared by every node: one key per entry, P audit/ID, and the counter
// P audit-next (etcd_keys.h).
//
// An entry is staged into the write set of the change it records, with
// the counter bumped beside it, so both commit in the change's etcd
// transaction or neither does. The counter's mod-revision compare makes
// two nodes appending at once conflict (the loser is retried from a fresh
// read, or ABORTED), so ids are unique, grow with every entry appended,
// and follow the order of the commits. The appends of one node take turns
// from their read of the counter to their commit, so they never conflict
// with each other.
//
// Reads never sort in etcd: a sorted range makes etcd 3.4 read the whole
// range before it truncates it. A listing pages down from the counter in
// windows of ids (newest first) at one pinned revision; pruning reads the
// oldest keys in their natural ascending order.
#ifndef XMPPFED_AGENT_STORE_ETCD_AUDIT_H_
#define XMPPFED_AGENT_STORE_ETCD_AUDIT_H_

#include <cstdint>
#include <functional>
#include <mutex>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agent/etcd/client.h"
#include "agent/store/etcd_keys.h"
#include "agent/store/etcd_transaction_view.h"
#include "agent/store/store.h"

namespace xmppfed::store {

class EtcdAuditLog {
 public:
  // `client` and `keys` must outlive the log.
  EtcdAuditLog(etcd::Client* client, const EtcdKeys* keys)
      : client_(client), keys_(keys) {}

  // Stages `entry` into `view`'s write set, as PartnerTransaction::
  // PutAuditEntry says: appended with the next id when its id is 0 (the
  // counter is read afresh, not at the view's revision, so that a long
  // transaction conflicts only with appends made while it commits), else
  // replacing that entry (NOT_FOUND when there is none). Returns its id.
  // RESOURCE_EXHAUSTED when it does not fit the transaction beside what
  // the set holds (etcd_write_set.h). An append holds this log's turn
  // until the view goes (EtcdTransactionView::HoldUntilCommitted): the
  // view's write must be committed (or dropped) before this thread stages
  // an append into another view of the same store.
  absl::StatusOr<uint64_t> Stage(const v1::AuditEntry& entry,
                                 EtcdTransactionView& view) const;

  // As Store::ForEachAuditEntry: newest first, filtered here, one window of
  // entries in memory at a time, all at one revision.
  absl::Status ForEach(
      const AuditFilter& filter,
      const std::function<bool(const v1::AuditEntry&)>& visit) const;

  // As Store::PruneAuditEntries: the oldest entries (lowest ids) while
  // they are older than `older_than`, at most `limit`, removed in one
  // transaction that compares they are unchanged since they were read
  // (an entry replaced meanwhile stays; the batch is read again).
  absl::StatusOr<uint64_t> Prune(absl::Time older_than, uint64_t limit) const;

 private:
  etcd::Client* client_;
  const EtcdKeys* keys_;
  // The turn of this node's appends (see the file comment).
  mutable std::mutex append_turn_;
};

}  // namespace xmppfed::store

#endif  // XMPPFED_AGENT_STORE_ETCD_AUDIT_H_
