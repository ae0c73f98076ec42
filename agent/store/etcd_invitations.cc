#include "agent/store/etcd_invitations.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "agent/etcd/watcher.h"
#include "agent/store/etcd_write_set.h"
#include "agent/store/stored_records.h"

namespace xmppfed::store {
namespace {

// Pairs checked and stored per etcd transaction.
constexpr size_t kInvitationsPerTransaction = kEtcdWriteOperations;
// A batch that keeps racing other nodes storing the same pairs gives up.
constexpr int kMaxWriteAttempts = 8;
// Keys per listing page.
constexpr int64_t kPageSize = 5000;

}  // namespace

absl::Status EtcdInvitations::Record(
    const std::vector<Invitation>& invitations) {
  // Each pair is one key, created if absent: a pair already stored (by any
  // node) or listed twice is written once. etcd's transaction limits cut a
  // large batch into several transactions, each durable when it returns.
  std::vector<std::string> keys;
  std::set<std::string> seen;
  for (const Invitation& invitation : invitations) {
    std::string key =
        keys_->invitation(invitation.local_jid, invitation.remote_jid);
    if (seen.insert(key).second) keys.push_back(std::move(key));
  }
  for (size_t first = 0; first < keys.size();
       first += kInvitationsPerTransaction) {
    std::vector<std::string> part(
        keys.begin() + first,
        keys.begin() +
            std::min(keys.size(), first + kInvitationsPerTransaction));
    if (absl::Status stored = StoreNew(part); !stored.ok()) {
      return stored;
    }
  }
  return absl::OkStatus();
}

absl::Status EtcdInvitations::StoreNew(const std::vector<std::string>& keys) {
  for (int attempt = 0; attempt < kMaxWriteAttempts; ++attempt) {
    // Which are new, read in one transaction (one revision).
    etcdserverpb::TxnRequest read;
    for (const std::string& key : keys) {
      etcdserverpb::RangeRequest* range =
          read.add_success()->mutable_request_range();
      range->set_key(key);
      range->set_count_only(true);
    }
    absl::StatusOr<etcdserverpb::TxnResponse> known = client_->Txn(read);
    if (!known.ok()) return known.status();
    etcdserverpb::TxnRequest txn;
    const std::string value = absl::StrCat(instance_, " ", NowMicros());
    for (size_t i = 0; i < keys.size(); ++i) {
      if (known->responses(i).response_range().count() > 0) continue;
      etcdserverpb::Compare* absent = txn.add_compare();
      absent->set_key(keys[i]);
      absent->set_target(etcdserverpb::Compare::CREATE);
      absent->set_result(etcdserverpb::Compare::EQUAL);
      absent->set_create_revision(0);
      etcdserverpb::PutRequest* put = txn.add_success()->mutable_request_put();
      put->set_key(keys[i]);
      put->set_value(value);
    }
    if (txn.success_size() == 0) return absl::OkStatus();
    etcd::CallReport report;
    absl::StatusOr<etcdserverpb::TxnResponse> stored =
        client_->Txn(txn, &report);
    if (!stored.ok()) return stored.status();
    // A lost race (another node stored one of them meanwhile), or an
    // earlier attempt that was applied: read again and store what is left.
    if (stored->succeeded()) return absl::OkStatus();
  }
  return absl::AbortedError(
      "other nodes kept storing the same invitations; try again");
}

absl::StatusOr<bool> EtcdInvitations::Has(std::string_view local_jid,
                                          std::string_view remote_jid) {
  etcdserverpb::RangeRequest range;
  range.set_key(keys_->invitation(local_jid, remote_jid));
  range.set_count_only(true);
  absl::StatusOr<etcdserverpb::RangeResponse> counted =
      client_->RangeNow(range);
  if (!counted.ok()) return counted.status();
  return counted->count() > 0;
}

absl::Status EtcdInvitations::ForEach(
    const std::function<bool(const Invitation&)>& visit) {
  const std::string end = etcd::PrefixRangeEnd(keys_->invitations());
  std::string from = keys_->invitations();
  int64_t revision = 0;  // pinned by the first page: one snapshot
  while (true) {
    etcdserverpb::RangeRequest range;
    range.set_key(from);
    range.set_range_end(end);
    range.set_limit(kPageSize);
    range.set_revision(revision);
    range.set_keys_only(true);
    absl::StatusOr<etcdserverpb::RangeResponse> page = client_->RangeNow(range);
    if (!page.ok()) return page.status();
    if (revision == 0) revision = page->header().revision();
    for (const mvccpb::KeyValue& kv : page->kvs()) {
      EtcdKeys::Parsed key = keys_->Parse(kv.key());
      std::optional<std::pair<std::string, std::string>> jids =
          EtcdKeys::InvitationJids(key.name);
      if (!jids) continue;
      if (!visit(Invitation{std::move(jids->first), std::move(jids->second)})) {
        return absl::OkStatus();
      }
    }
    if (!page->more() || page->kvs_size() == 0) return absl::OkStatus();
    from = page->kvs(page->kvs_size() - 1).key() + std::string(1, '\0');
  }
}

}  // namespace xmppfed::store
