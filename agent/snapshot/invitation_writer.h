// Makes the invitations the edge records durable without making the edge
// wait: one thread of its own gathers them for a few milliseconds and
// stores each batch with one Store::RecordInvitations (one transaction, one
// fsync). What a kill -9 can lose is what was gathered but not yet
// committed: at most kGatherDelay plus one commit's time of invitations, or
// more while the store refuses writes (they are retried every second).
#ifndef XMPPFED_AGENT_SNAPSHOT_INVITATION_WRITER_H_
#define XMPPFED_AGENT_SNAPSHOT_INVITATION_WRITER_H_

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/time/time.h"
#include "agent/store/store.h"

namespace xmppfed::snapshot {

class InvitationWriter {
 public:
  static constexpr absl::Duration kGatherDelay = absl::Milliseconds(10);
  static constexpr size_t kMaxBatch = 1000;
  // Beyond this many waiting (the store refusing writes for long), new
  // invitations are kept in memory only, and that is logged.
  static constexpr size_t kMaxPending = 1'000'000;

  // `store` must outlive the writer.
  explicit InvitationWriter(store::Store* store);
  // Stores what is waiting (one more try if the store fails), then stops.
  ~InvitationWriter();
  InvitationWriter(const InvitationWriter&) = delete;
  InvitationWriter& operator=(const InvitationWriter&) = delete;

  // Thread-safe; returns at once.
  void Enqueue(std::string_view local_jid, std::string_view remote_jid);
  // Waits until everything enqueued before the call was stored, or a
  // store failure was met for it.
  void Flush();

 private:
  void Run();
  // One attempt; true when stored.
  bool Store(const std::vector<store::Invitation>& batch);

  store::Store* store_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable progressed_;
  std::vector<store::Invitation> pending_;
  bool stopping_ = false;
  // Invitations enqueued, and settled (stored or given up), so far.
  uint64_t enqueued_ = 0;
  uint64_t settled_ = 0;
  uint64_t failed_attempts_ = 0;
  std::thread thread_;
};

}  // namespace xmppfed::snapshot

#endif  // XMPPFED_AGENT_SNAPSHOT_INVITATION_WRITER_H_
