#include "agent/store/etcd_transaction_view.h"

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
  etcdserverpb::RangeRequest range;
  range.set_key(key);
  range.set_revision(revision_);
  absl::StatusOr<etcdserverpb::RangeResponse> got = client_->Range(range);
  if (!got.ok()) {
    if (got.status().code() == absl::StatusCode::kOutOfRange) {
      return absl::AbortedError(absl::StrCat(
          "the etcd store compacted its history during the change: ",
          got.status().message()));
    }
    return got.status();
  }
  if (revision_ == 0) revision_ = got->header().revision();
  Read read;
  if (got->kvs_size() > 0) {
    read.value = got->kvs(0).value();
    read.mod_revision = got->kvs(0).mod_revision();
  }
  reads_.emplace(key, read);
  return read;
}

}  // namespace xmppfed::store
