#include "agent/store/etcd_write_set.h"

#include <utility>

namespace xmppfed::store {

void EtcdWriteSet::Put(const std::string& key, std::string value,
                       int64_t read_mod_revision) {
  Record(key, std::move(value), read_mod_revision);
}

void EtcdWriteSet::Delete(const std::string& key, int64_t read_mod_revision) {
  Record(key, std::nullopt, read_mod_revision);
}

void EtcdWriteSet::Record(const std::string& key,
                          std::optional<std::string> value,
                          int64_t read_mod_revision) {
  size_t value_size = value.has_value() ? value->size() : 0;
  auto [it, inserted] = index_.try_emplace(key, writes_.size());
  if (inserted) {
    // The first read of a key is what the transaction depends on.
    writes_.emplace_back(key, Write{std::nullopt, read_mod_revision});
  }
  Write& write = writes_[it->second].second;
  if (!inserted) {
    size_t old_size = write.value ? write.value->size() : 0;
    bytes_ -= EtcdWriteBytes(key.size(), old_size);
  }
  write.value = std::move(value);
  bytes_ += EtcdWriteBytes(key.size(), value_size);
}

std::optional<std::optional<std::string>> EtcdWriteSet::Written(
    const std::string& key) const {
  auto it = index_.find(key);
  if (it == index_.end()) return std::nullopt;
  return writes_[it->second].second.value;
}

etcdserverpb::TxnRequest EtcdWriteSet::ToTxn() const {
  etcdserverpb::TxnRequest txn;
  for (const auto& [key, write] : writes_) {
    etcdserverpb::Compare* compare = txn.add_compare();
    compare->set_key(key);
    compare->set_result(etcdserverpb::Compare::EQUAL);
    if (write.read_mod_revision == 0) {
      compare->set_target(etcdserverpb::Compare::CREATE);
      compare->set_create_revision(0);
    } else {
      compare->set_target(etcdserverpb::Compare::MOD);
      compare->set_mod_revision(write.read_mod_revision);
    }
    if (write.value.has_value()) {
      etcdserverpb::PutRequest* put = txn.add_success()->mutable_request_put();
      put->set_key(key);
      put->set_value(*write.value);
    } else {
      txn.add_success()->mutable_request_delete_range()->set_key(key);
    }
    txn.add_failure()->mutable_request_range()->set_key(key);
  }
  return txn;
}

bool EtcdWriteSet::AppliedIn(const etcdserverpb::TxnResponse& failed) const {
  if (failed.succeeded() ||
      failed.responses_size() != static_cast<int>(writes_.size())) {
    return false;
  }
  int index = 0;
  for (const auto& [key, write] : writes_) {
    const etcdserverpb::RangeResponse& read =
        failed.responses(index++).response_range();
    if (!write.value.has_value()) {
      if (read.kvs_size() != 0) return false;
      continue;
    }
    if (read.kvs_size() != 1 || read.kvs(0).value() != *write.value) {
      return false;
    }
  }
  return true;
}

}  // namespace xmppfed::store
