// Keeps the published PolicySnapshot equal to the store: a full read at
// start, then, for every committed change the store reports
// (store::StoreChange), a copy of the last snapshot patched with what
// changed and published with one atomic swap. Only a gateway change reads
// the store (the settings and the dialback secret); reload_all reads it all.
//
// A failed read never empties the policy: the last snapshot stays in force
// (a live stream is not closed because the store hiccupped), the failure is
// logged, and a full read is retried every second until one succeeds.
//
// Invitations are loaded at start; new ones go to the in-memory book at
// once and to the store through an InvitationWriter.
#ifndef XMPPFED_AGENT_SNAPSHOT_POLICY_KEEPER_H_
#define XMPPFED_AGENT_SNAPSHOT_POLICY_KEEPER_H_

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "agent/snapshot/invitation_writer.h"
#include "agent/snapshot/policy_source.h"
#include "agent/store/store.h"

namespace xmppfed::snapshot {

class PolicyKeeper {
 public:
  // Reads the policy and the invitations from `store` (an error when it
  // cannot) and listens to its changes. `store` must outlive the keeper;
  // `local_domains` are normalised.
  static absl::StatusOr<std::unique_ptr<PolicyKeeper>> Start(
      store::Store* store, std::vector<std::string> local_domains);
  // Stops listening and stores the invitations still waiting. No change
  // may be committed to the store meanwhile (stop the API first).
  ~PolicyKeeper();
  PolicyKeeper(const PolicyKeeper&) = delete;
  PolicyKeeper& operator=(const PolicyKeeper&) = delete;

  PolicySource* source() { return &publisher_; }
  // Waits until the invitations recorded so far are stored (or failed).
  void FlushInvitations() { writer_.Flush(); }

 private:
  PolicyKeeper(store::Store* store, std::vector<std::string> local_domains);

  void OnChange(const store::StoreChange& change);
  // Reads everything into a new snapshot and publishes it; on failure the
  // last snapshot stays and a retry is scheduled.
  absl::Status Reload() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  absl::Status ReadGateway(PolicySnapshot* next);
  absl::Status LoadInvitations();
  void RetryReloads();
  bool StoppingOrReloadNeeded() const ABSL_SHARED_LOCKS_REQUIRED(mutex_) {
    return stopping_ || reload_needed_;
  }
  bool LoadedOrStopping() const ABSL_SHARED_LOCKS_REQUIRED(mutex_) {
    return loaded_ || stopping_;
  }

  store::Store* store_;
  std::vector<std::string> local_domains_;
  SnapshotPublisher publisher_;
  InvitationWriter writer_;

  // Serialises patches and reloads.
  absl::Mutex mutex_;
  // The first full read is done: changes may be patched in.
  bool loaded_ ABSL_GUARDED_BY(mutex_) = false;
  bool reload_needed_ ABSL_GUARDED_BY(mutex_) = false;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  uint64_t revision_ ABSL_GUARDED_BY(mutex_) = 0;
  std::thread retry_thread_;
};

}  // namespace xmppfed::snapshot

#endif  // XMPPFED_AGENT_SNAPSHOT_POLICY_KEEPER_H_
