#include "agent/store/etcd_node_registry.h"

#include <algorithm>
#include <tuple>

#include "agent/etcd/watcher.h"

namespace xmppfed::store {

EtcdNodeRegistry::~EtcdNodeRegistry() {
  absl::MutexLock lock(&mutex_);
  // If etcd is unreachable now the lease simply expires.
  if (lease_ != 0) client_->LeaseRevoke(lease_).IgnoreError();
}

absl::Status EtcdNodeRegistry::Publish(const v1::Node& node) {
  absl::MutexLock lock(&mutex_);
  if (lease_ != 0) {
    absl::StatusOr<etcdserverpb::LeaseKeepAliveResponse> kept =
        client_->LeaseKeepAlive(lease_);
    if (!kept.ok()) return kept.status();
    // TTL 0: the lease expired (the agent was cut off too long) and took
    // the record with it.
    if (kept->ttl() <= 0) lease_ = 0;
  }
  if (lease_ == 0) {
    absl::StatusOr<etcdserverpb::LeaseGrantResponse> granted =
        client_->LeaseGrant(kNodeTtlSeconds);
    if (!granted.ok()) return granted.status();
    lease_ = granted->id();
  }
  etcdserverpb::TxnRequest txn;
  etcdserverpb::PutRequest* put = txn.add_success()->mutable_request_put();
  put->set_key(keys_->node(node.id()));
  put->set_value(node.SerializeAsString());
  put->set_lease(lease_);
  absl::StatusOr<etcdserverpb::TxnResponse> written = client_->Txn(txn);
  if (!written.ok()) return written.status();
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Node>> EtcdNodeRegistry::List() {
  etcdserverpb::RangeRequest range;
  range.set_key(keys_->nodes());
  range.set_range_end(etcd::PrefixRangeEnd(keys_->nodes()));
  absl::StatusOr<etcdserverpb::RangeResponse> listed = client_->RangeNow(range);
  if (!listed.ok()) return listed.status();
  std::vector<v1::Node> nodes;
  for (const mvccpb::KeyValue& kv : listed->kvs()) {
    v1::Node node;
    // A record of another version that cannot be read is left out rather
    // than failing the whole list.
    if (node.ParseFromString(kv.value())) nodes.push_back(std::move(node));
  }
  std::sort(nodes.begin(), nodes.end(),
            [](const v1::Node& a, const v1::Node& b) {
              return std::tie(a.host_name(), a.id()) <
                     std::tie(b.host_name(), b.id());
            });
  return nodes;
}

}  // namespace xmppfed::store
