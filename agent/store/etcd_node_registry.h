// This agent's node record on the etcd store (get-node): a key under
// P nodes/ attached to a lease of kNodeTtl that every Publish keeps alive,
// so the record of an agent that stops refreshing it (crashed, cut off)
// disappears on its own; a new lease is taken when the old one expired
// meanwhile. Destroying the registry revokes the lease: a stopping agent
// leaves the list at once.
#ifndef XMPPFED_AGENT_STORE_ETCD_NODE_REGISTRY_H_
#define XMPPFED_AGENT_STORE_ETCD_NODE_REGISTRY_H_

#include <cstdint>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "agent/etcd/client.h"
#include "agent/store/etcd_keys.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::store {

// Several refresh periods: a record survives a refresh or two missed to a
// leader election.
inline constexpr int64_t kNodeTtlSeconds = 10;

class EtcdNodeRegistry {
 public:
  // `client` and `keys` must outlive the registry.
  EtcdNodeRegistry(etcd::Client* client, const EtcdKeys* keys)
      : client_(client), keys_(keys) {}
  ~EtcdNodeRegistry();

  absl::Status Publish(const v1::Node& node);
  // Every live record, by host name then id.
  absl::StatusOr<std::vector<v1::Node>> List();

 private:
  etcd::Client* client_;
  const EtcdKeys* keys_;
  absl::Mutex mutex_;
  int64_t lease_ ABSL_GUARDED_BY(mutex_) = 0;
};

}  // namespace xmppfed::store

#endif  // XMPPFED_AGENT_STORE_ETCD_NODE_REGISTRY_H_
