// Follows every change under a key prefix from a revision on, on a thread
// of its own, across member failures: when a stream ends (member down,
// member without leader, token expired) it reopens on another member from
// the revision after the last one it delivered, so no change is skipped or
// seen twice. When etcd has compacted that revision away the history is
// gone: the handler then rereads what it follows and says from which
// revision to go on.
#ifndef XMPPFED_AGENT_ETCD_WATCHER_H_
#define XMPPFED_AGENT_ETCD_WATCHER_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <functional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "agent/etcd/client.h"

namespace xmppfed::etcd {

// Called on the watcher's thread, one at a time.
struct WatchHandler {
  // Events in revision order (one response may hold several revisions).
  std::function<void(const etcdserverpb::WatchResponse&)> on_events;
  // The revisions from `from` on were compacted: reread everything and
  // return the revision that read saw (the watch goes on after it), or an
  // error to be called again a little later.
  std::function<absl::StatusOr<int64_t>(int64_t from)> on_compacted;
  // The watch broke (`why`), or works again after breaking. Called once
  // per change of state, not per retry.
  std::function<void(const absl::Status& why)> on_broken;
  std::function<void()> on_restored;
};

class Watcher {
 public:
  // Watches [prefix, prefix + 1) from `from_revision` (inclusive) on.
  // `client` must outlive the watcher.
  Watcher(Client* client, std::string prefix, int64_t from_revision,
          WatchHandler handler);
  // Stops the thread (the handler is not called after it returns).
  ~Watcher();

  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

 private:
  void Run();
  // One stream, until it ends; the status says why.
  grpc::Status Follow();
  // Sleeps up to `pause` unless stopped; false when stopped.
  bool Pause(absl::Duration pause);

  Client* client_;
  const std::string prefix_;
  WatchHandler handler_;
  int64_t next_revision_;  // watcher thread only
  bool broken_ = false;    // watcher thread only

  absl::Mutex mutex_;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  grpc::ClientContext* context_ ABSL_GUARDED_BY(mutex_) = nullptr;
  std::thread thread_;
};

// The end of the range of keys starting with `prefix` (etcd's convention:
// the prefix with its last byte incremented).
std::string PrefixRangeEnd(std::string_view prefix);

}  // namespace xmppfed::etcd

#endif  // XMPPFED_AGENT_ETCD_WATCHER_H_
