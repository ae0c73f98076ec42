// Removes audit entries older than the gateway setting auditRetentionDays,
// on a thread of its own (never a loop thread of the edge): at start, then
// every hour. A large backlog goes in batches, each its own short
// transaction, so writers wait at most one batch.
#ifndef XMPPFED_AGENT_AUDIT_AUDIT_PRUNER_H_
#define XMPPFED_AGENT_AUDIT_AUDIT_PRUNER_H_

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agent/store/store.h"

namespace xmppfed::audit {

class AuditPruner {
 public:
  // The retention in days, read anew for every pass (it is a setting).
  using RetentionDays = std::function<absl::StatusOr<uint32_t>()>;

  struct Options {
    absl::Duration interval = absl::Hours(1);
    uint64_t batch = 1000;
  };

  // `store` must outlive the pruner.
  AuditPruner(store::Store* store, RetentionDays retention_days,
              Options options);
  AuditPruner(store::Store* store, RetentionDays retention_days)
      : AuditPruner(store, std::move(retention_days), Options()) {}
  // Stop().
  ~AuditPruner();

  // Starts the thread, whose first pass is at once.
  void Start();
  // Ends the thread (a pass under way stops after its batch).
  void Stop();

  // One pass on the calling thread: removes every entry older than the
  // retention, batch by batch, and returns how many; logs "audit.pruned"
  // when it removed any.
  absl::StatusOr<uint64_t> PruneOnce();

 private:
  void Run();
  bool Stopping();

  store::Store* store_;
  RetentionDays retention_days_;
  Options options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace xmppfed::audit

#endif  // XMPPFED_AGENT_AUDIT_AUDIT_PRUNER_H_
