// How the federation edge (and any other reader) sees the policy: the
// snapshot published last, a call after every publish, and the
// invitations. The edge includes nothing of the store; SnapshotPublisher is
// the implementation, fed by agent/snapshot/policy_keeper.h from the store
// (or by a test with snapshots it builds).
#ifndef XMPPFED_AGENT_SNAPSHOT_POLICY_SOURCE_H_
#define XMPPFED_AGENT_SNAPSHOT_POLICY_SOURCE_H_

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>

#include "agent/snapshot/invitation_book.h"
#include "agent/snapshot/policy_snapshot.h"

namespace xmppfed::snapshot {

class PolicySource {
 public:
  virtual ~PolicySource() = default;

  // The snapshot published last; never null. Thread-safe.
  virtual std::shared_ptr<const PolicySnapshot> Current() const = 0;
  // `listener` runs after every publish, on the publishing thread (keep it
  // short: post the work elsewhere). Replaces any earlier listener; an
  // empty function removes it.
  virtual void SetPublishListener(std::function<void()> listener) = 0;

  // Invitations by bare JIDs (SPEC §4). Thread-safe; never waits for the
  // store: RecordInvitation is seen by IsInvited at once and stored later.
  virtual bool IsInvited(std::string_view local_jid,
                         std::string_view remote_jid) const = 0;
  virtual void RecordInvitation(std::string_view local_jid,
                                std::string_view remote_jid) = 0;
};

// A PolicySource whose snapshots are handed to Publish().
class SnapshotPublisher : public PolicySource {
 public:
  explicit SnapshotPublisher(std::shared_ptr<const PolicySnapshot> first);

  // Makes `next` current (one atomic swap), then calls the listener.
  void Publish(std::shared_ptr<const PolicySnapshot> next);
  InvitationBook& invitations() { return invitations_; }
  // Receives each invitation recorded here for the first time (to store
  // it); runs on the recording thread.
  void SetInvitationSink(
      std::function<void(std::string_view, std::string_view)> sink);

  std::shared_ptr<const PolicySnapshot> Current() const override;
  void SetPublishListener(std::function<void()> listener) override;
  bool IsInvited(std::string_view local_jid,
                 std::string_view remote_jid) const override;
  void RecordInvitation(std::string_view local_jid,
                        std::string_view remote_jid) override;

 private:
  std::atomic<std::shared_ptr<const PolicySnapshot>> current_;
  InvitationBook invitations_;
  std::mutex callbacks_mutex_;
  std::shared_ptr<const std::function<void()>> listener_;
  std::shared_ptr<const std::function<void(std::string_view, std::string_view)>>
      sink_;
};

}  // namespace xmppfed::snapshot

#endif  // XMPPFED_AGENT_SNAPSHOT_POLICY_SOURCE_H_
