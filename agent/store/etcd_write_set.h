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
// counts both, keeping room for the audit entry a write method adds, and
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
// One operation of every write transaction is left for its audit entry.
inline constexpr size_t kEtcdWriteOperations = kEtcdMaxTxnOperations - 1;
// Keys and values of one transaction; etcd's limit is 1.5 MiB for the
// whole request, compares and framing included.
inline constexpr size_t kEtcdWriteBytes = 1'300'000;

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
