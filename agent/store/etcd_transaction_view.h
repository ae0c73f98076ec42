// The etcd store as one write sees it: etcd at one revision (pinned by the
// first read, so every read of the write comes from one consistent
// snapshot) under the write's own staged changes (an EtcdWriteSet). It
// remembers each key's mod revision as read, which the write set compares
// at commit. The first read is linearizable (the latest state); the others,
// at the pinned revision, are served by the member asked without a round
// trip to the leader (etcd's serializable reads): the compares at commit
// hold whatever a read saw.
#ifndef XMPPFED_AGENT_STORE_ETCD_TRANSACTION_VIEW_H_
#define XMPPFED_AGENT_STORE_ETCD_TRANSACTION_VIEW_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "agent/etcd/client.h"
#include "agent/store/etcd_write_set.h"

namespace xmppfed::store {

class EtcdTransactionView {
 public:
  struct Read {
    std::optional<std::string> value;  // nullopt: absent
    int64_t mod_revision = 0;          // as etcd had it; 0: absent there
  };

  // `client` and `writes` must outlive the view.
  EtcdTransactionView(etcd::Client* client, EtcdWriteSet* writes)
      : client_(client), writes_(writes) {}

  // `key` as the staged writes leave it, else as etcd has it at the pinned
  // revision. ABORTED when etcd compacted that revision away meanwhile.
  absl::StatusOr<Read> Get(const std::string& key);
  // Reads those of `keys` not known yet in one round trip, so that Get of
  // any of them then answers from memory.
  absl::Status Prefetch(const std::vector<std::string>& keys);

  EtcdWriteSet& writes() { return *writes_; }

  // Locks `mutex` (unless the view holds it already) until the view goes,
  // after the write committed: for what must not interleave with another
  // write of this node between its read and its commit (the audit id
  // counter, etcd_audit.h).
  void HoldUntilCommitted(std::mutex& mutex) {
    if (!held_.owns_lock()) held_ = std::unique_lock<std::mutex>(mutex);
  }
  // Gives up what HoldUntilCommitted holds, once etcd answered the commit.
  void ReleaseTurn() {
    if (held_.owns_lock()) held_.unlock();
  }

 private:
  // Declared first, released last: after the view's other members.
  std::unique_lock<std::mutex> held_;
  etcd::Client* client_;
  EtcdWriteSet* writes_;
  int64_t revision_ = 0;  // 0 until the first read pins it
  std::map<std::string, Read> reads_;
};

}  // namespace xmppfed::store

#endif  // XMPPFED_AGENT_STORE_ETCD_TRANSACTION_VIEW_H_
