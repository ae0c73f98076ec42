// The etcd store's change listener, fed by one Watch of the store's prefix:
// every committed change, this node's and every other node's, reaches the
// listener from the watch's thread, one call at a time and in revision
// order (etcd's revisions order all nodes' changes), as a StoreChange built
// from the watch's events:
//
// * a partner key put: the partner as stored (the value is the partner);
//   a partner key deleted: its identity removed;
// * a gateway key (settings, passphrase): gateway_changed;
// * an invitation key put by another node: that invitation (this node's
//   own are not configuration changes, as the Store contract says);
// * domain and node keys say nothing the partner keys do not;
// * audit entries and their counter are not configuration: a revision
//   that wrote only them reaches no listener (it still counts as
//   delivered for WaitDelivered).
//
// A local writer waits (WaitDelivered) until its change went through the
// listener, so the listener has heard of a change before the write that
// made it returns, as with SQLite, though on the watch's thread. After a
// compaction of the history the watch needs, the listener is told
// reload_all.
#ifndef XMPPFED_AGENT_STORE_ETCD_CHANGE_FEED_H_
#define XMPPFED_AGENT_STORE_ETCD_CHANGE_FEED_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "agent/etcd/client.h"
#include "agent/etcd/watcher.h"
#include "agent/store/etcd_keys.h"
#include "agent/store/store.h"

namespace xmppfed::store {

class EtcdChangeFeed {
 public:
  using Listener = std::function<void(const StoreChange&)>;

  // Follows `keys.prefix()` from `from_revision` on. Invitation values
  // starting with `instance` + ' ' are this node's own. `client` and `keys`
  // must outlive the feed.
  EtcdChangeFeed(etcd::Client* client, const EtcdKeys* keys,
                 std::string instance, int64_t from_revision);
  // Stops the watch; no listener call runs after it returns.
  ~EtcdChangeFeed();

  // Replaces the listener once no call of the old one is running.
  void SetListener(Listener listener);

  // Waits until every change up to `revision` went through the listener,
  // at most `timeout` (false then: the watch is behind, e.g. reconnecting;
  // the change reaches the listener when it catches up).
  bool WaitDelivered(int64_t revision, absl::Duration timeout);

 private:
  void OnEvents(const etcdserverpb::WatchResponse& response);
  absl::StatusOr<int64_t> OnCompacted(int64_t compact_revision);
  // Calls the listener (if any) and marks `revision` delivered.
  void Deliver(const StoreChange& change, int64_t revision);
  void MarkDelivered(int64_t revision);

  etcd::Client* client_;
  const EtcdKeys* keys_;
  const std::string instance_;

  // Held while the listener runs, so SetListener can wait for a call.
  absl::Mutex notice_mutex_;
  std::shared_ptr<const Listener> listener_ ABSL_GUARDED_BY(notice_mutex_);

  absl::Mutex progress_mutex_;
  int64_t delivered_ ABSL_GUARDED_BY(progress_mutex_) = 0;

  // Last: stopped first, before what its handler uses goes away.
  std::unique_ptr<etcd::Watcher> watcher_;
};

}  // namespace xmppfed::store

#endif  // XMPPFED_AGENT_STORE_ETCD_CHANGE_FEED_H_
