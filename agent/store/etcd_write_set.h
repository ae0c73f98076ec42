// The writes of one etcd transaction, built up before it is sent: for each
// key its final value (or its removal) and the state it had when it was
// read, which the transaction compares (create revision 0 for a key that
// was absent, the mod revision read otherwise). So a transaction commits
// only if nothing it depends on changed since it was read, on any node,
// and two writes of one key merge into one operation (etcd refuses a
// transaction naming a key twice).
//
// etcd refuses transactions of more than 128 operations (--max-txn-ops)
// and requests over 1.5 MiB (--max-request-bytes) by default. The set
// counts both, keeping room for the audit entry every write adds, and
// Fits() says whether more keys would still fit.
#ifndef XMPPFED_AGENT_STORE_ETCD_WRITE_SET_H_
#define XMPPFED_AGENT_STORE_ETCD_WRITE_SET_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "etcd/etcdserver/etcdserverpb/rpc.pb.h"

namespace xmppfed::store {

// etcd's default limits, and the share of them the store uses.
inline constexpr size_t kEtcdMaxTxnOperations = 128;
// Every write transaction keeps two operations for its audit entry: the
// entry's key and the id counter it bumps (etcd_audit.h).
inline constexpr size_t kEtcdAuditOperations = 2;
inline constexpr size_t kEtcdWriteOperations =
    kEtcdMaxTxnOperations - kEtcdAuditOperations;
// Keys and values of one transaction (as EtcdWriteBytes counts them, so
// compares and reads of the failure branch included): etcd's limit is
// 1.5 MiB (1,572,864 bytes) for the whole request; what is left above
// kEtcdRequestBytes covers the request's own framing.
inline constexpr size_t kEtcdRequestBytes = 1'500'000;
// The share of the configuration's writes: the other 300,000 bytes at
// least are the audit entry's. An entry lists at most 1000 identities
// (audit::kMaxIdentities) of at most 253 bytes each, 256,000 bytes with
// their framing, plus the caller, verb and change counts of a bulk call;
// a larger entry (a removal listing every field of many partners) takes
// what the writes left unused, and is refused only beyond that.
inline constexpr size_t kEtcdWriteBytes = 1'200'000;

class EtcdWriteSet {
 public:
  // `bounded`: Fits() keeps the set within one etcd transaction. An
  // unbounded set (a dry run, never committed) fits anything.
  explicit EtcdWriteSet(bool bounded = true) : bounded_(bounded) {}

  // `key` must have been read (its state is the compare).
  void Put(const std::string& key, std::string value,
           int64_t read_mod_revision);
  void Delete(const std::string& key, int64_t read_mod_revision);

  // The key's value as this set leaves it: nullopt when the set does not
  // write it; a nullopt inside when the set removes it.
  std::optional<std::optional<std::string>> Written(
      const std::string& key) const;

  size_t operations() const { return writes_.size(); }
  size_t bytes() const { return bytes_; }
  bool empty() const { return writes_.empty(); }
  // Whether `more_keys` new keys of `more_bytes` would still fit.
  bool Fits(size_t more_keys, size_t more_bytes) const {
    return !bounded_ || (operations() + more_keys <= kEtcdWriteOperations &&
                         bytes() + more_bytes <= kEtcdWriteBytes);
  }

  // Whether an audit entry's `more_keys` new keys of `more_bytes` fit: the
  // room Fits() keeps for it, and whatever the other writes left of
  // kEtcdRequestBytes.
  bool FitsAuditEntry(size_t more_keys, size_t more_bytes) const {
    return !bounded_ || (operations() + more_keys <= kEtcdMaxTxnOperations &&
                         bytes() + more_bytes <= kEtcdRequestBytes);
  }

  // The transaction: every compare, every write on success, and on failure
  // a read of every key written (to tell a conflict from an earlier attempt
  // that was applied, and to name what changed).
  etcdserverpb::TxnRequest ToTxn() const;
  // Whether the failure branch of ToTxn()'s response shows every key as
  // this set leaves it: the set itself was applied (by an attempt whose
  // answer was lost).
  bool AppliedIn(const etcdserverpb::TxnResponse& failed) const;

 private:
  struct Write {
    std::optional<std::string> value;  // nullopt: delete
    int64_t read_mod_revision = 0;     // 0: the key was absent
  };
  void Record(const std::string& key, std::optional<std::string> value,
              int64_t read_mod_revision);

  // In the order keys were first written: etcd applies (and a watch
  // reports) a transaction's operations in this order.
  std::vector<std::pair<std::string, Write>> writes_;
  std::unordered_map<std::string, size_t> index_;
  size_t bytes_ = 0;
  bool bounded_;
};

// Bytes a key and value count for in a transaction.
inline size_t EtcdWriteBytes(size_t key_size, size_t value_size) {
  // The compare, the failure branch's read and protobuf framing repeat the
  // key; 32 bytes cover the tags, lengths and revisions.
  return 3 * key_size + value_size + 32;
}

}  // namespace xmppfed::store

#endif  // XMPPFED_AGENT_STORE_ETCD_WRITE_SET_H_
