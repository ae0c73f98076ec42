// Invitations on the etcd store: one key per (local, remote) pair under
// P invitations/, created if absent, its value "INSTANCE MICROS" naming the
// store instance (node) that recorded it, so that the change feed tells
// other nodes' invitations from this node's own.
#ifndef XMPPFED_AGENT_STORE_ETCD_INVITATIONS_H_
#define XMPPFED_AGENT_STORE_ETCD_INVITATIONS_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "agent/etcd/client.h"
#include "agent/store/etcd_keys.h"
#include "agent/store/store.h"

namespace xmppfed::store {

class EtcdInvitations {
 public:
  // `client` and `keys` must outlive this.
  EtcdInvitations(etcd::Client* client, const EtcdKeys* keys,
                  std::string instance)
      : client_(client), keys_(keys), instance_(std::move(instance)) {}

  // As Store::RecordInvitations, except that etcd's transaction limits cut
  // a batch of more than 127 new pairs into several transactions (each
  // durable when it returns).
  absl::Status Record(const std::vector<Invitation>& invitations);
  absl::StatusOr<bool> Has(std::string_view local_jid,
                           std::string_view remote_jid);
  // From one snapshot, in key order.
  absl::Status ForEach(const std::function<bool(const Invitation&)>& visit);

 private:
  // Stores those of `keys` (at most one transaction's worth) not stored yet.
  absl::Status StoreNew(const std::vector<std::string>& keys);

  etcd::Client* client_;
  const EtcdKeys* keys_;
  const std::string instance_;
};

}  // namespace xmppfed::store

#endif  // XMPPFED_AGENT_STORE_ETCD_INVITATIONS_H_
