// This agent's own node record, kept in memory by a store that one agent
// owns (SQLite): get-node then lists that one agent.
#ifndef XMPPFED_AGENT_STORE_NODE_RECORD_H_
#define XMPPFED_AGENT_STORE_NODE_RECORD_H_

#include <optional>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::store {

class NodeRecord {
 public:
  void Publish(const v1::Node& node) {
    absl::MutexLock lock(&mutex_);
    node_ = node;
  }
  std::vector<v1::Node> List() const {
    absl::MutexLock lock(&mutex_);
    if (!node_.has_value()) return {};
    return {*node_};
  }

 private:
  mutable absl::Mutex mutex_;
  std::optional<v1::Node> node_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace xmppfed::store

#endif  // XMPPFED_AGENT_STORE_NODE_RECORD_H_
