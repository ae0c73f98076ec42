#include "agent/store/etcd_transaction_view.h"

#include <set>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"

namespace xmppfed::store {

absl::StatusOr<EtcdTransactionView::Read> EtcdTransactionView::Get(
    const std::string& key) {
  auto known = reads_.find(key);
  int64_t read_mod = known == reads_.end() ? 0 : known->second.mod_revision;
  if (std::optional<std::optional<std::string>> written =
          writes_->Written(key)) {
    return Read{*std::move(written), read_mod};
  }
  if (known != reads_.end()) return known->second;
  if (absl::Status read = Prefetch({key}); !read.ok()) return read;
  return reads_.at(key);
}

absl::Status EtcdTransactionView::Prefetch(
    const std::vector<std::string>& keys) {
  etcdserverpb::TxnRequest txn;
  std::vector<std::string> asked;
  std::set<std::string_view> seen;
  for (const std::string& key : keys) {
    if (reads_.contains(key) || !seen.insert(key).second) continue;
    asked.push_back(key);
    etcdserverpb::RangeRequest* range =
        txn.add_success()->mutable_request_range();
    range->set_key(key);
    range->set_revision(revision_);
    range->set_serializable(revision_ != 0);
  }
  if (asked.empty()) return absl::OkStatus();
  absl::StatusOr<etcdserverpb::TxnResponse> got = client_->Txn(txn);
  if (!got.ok()) {
    if (got.status().code() == absl::StatusCode::kOutOfRange) {
      // Compacted, or (on another member) not applied yet.
      return absl::AbortedError(
          absl::StrCat("the etcd store's revision ", revision_,
                       " cannot be read any more during the change: ",
                       got.status().message()));
    }
    return got.status();
  }
  if (revision_ == 0) revision_ = got->header().revision();
  for (size_t i = 0; i < asked.size(); ++i) {
    const etcdserverpb::RangeResponse& range =
        got->responses(static_cast<int>(i)).response_range();
    Read read;
    if (range.kvs_size() > 0) {
      read.value = range.kvs(0).value();
      read.mod_revision = range.kvs(0).mod_revision();
    }
    reads_.emplace(std::move(asked[i]), std::move(read));
  }
  return absl::OkStatus();
}

}  // namespace xmppfed::store
