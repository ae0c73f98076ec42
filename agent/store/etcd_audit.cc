#include "agent/store/etcd_audit.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "agent/etcd/watcher.h"
#include "agent/store/stored_records.h"

namespace xmppfed::store {
namespace {

// Entries in memory at once: a window of a listing, a page of a prune.
// Entries are a few hundred bytes, a bulk call's at most about 300 KB.
constexpr uint64_t kAuditPageSize = 100;
// A prune whose batch keeps being replaced by writers gives up (ABORTED).
constexpr int kMaxPruneAttempts = 5;
// The counter's value at its longest: 20 decimal digits.
constexpr size_t kCounterValueBytes = 20;

absl::string_view View(std::string_view text) {
  return absl::string_view(text.data(), text.size());
}

// The entry as stored: its key holds its id.
std::string EntryValue(const v1::AuditEntry& entry) {
  v1::AuditEntry copy = entry;
  copy.clear_id();
  return copy.SerializeAsString();
}

absl::StatusOr<v1::AuditEntry> ParseEntry(const EtcdKeys& keys,
                                          const mvccpb::KeyValue& kv) {
  EtcdKeys::Parsed parsed = keys.Parse(kv.key());
  std::optional<uint64_t> id;
  if (parsed.kind == EtcdKeys::Kind::kAudit) {
    id = EtcdKeys::AuditId(parsed.name);
  }
  v1::AuditEntry entry;
  if (!id.has_value() || !entry.ParseFromString(kv.value())) {
    return absl::DataLossError(absl::StrCat("the etcd store's key ", kv.key(),
                                            " is not a readable audit entry"));
  }
  entry.set_id(*id);
  return entry;
}

absl::StatusOr<uint64_t> ParseCounter(const EtcdKeys& keys,
                                      const std::string& value) {
  uint64_t last = 0;
  if (!absl::SimpleAtoi(View(value), &last)) {
    return absl::DataLossError(absl::StrCat("the etcd store's key ",
                                            keys.audit_next(),
                                            " holds no audit entry id"));
  }
  return last;
}

// What SQLite's query selects (sqlite_audit.cc), entry by entry.
bool Matches(const AuditFilter& filter, const v1::AuditEntry& entry) {
  int64_t time_us = MicrosOf(entry.time());
  if (filter.since && time_us < absl::ToUnixMicros(*filter.since)) {
    return false;
  }
  if (filter.until && time_us > absl::ToUnixMicros(*filter.until)) {
    return false;
  }
  if (!filter.caller.empty() && entry.caller().user() != filter.caller) {
    int64_t uid = -1;
    if (!absl::SimpleAtoi(View(filter.caller), &uid) || uid < 0 ||
        uid != static_cast<int64_t>(entry.caller().uid())) {
      return false;
    }
  }
  if (!filter.verb.empty() && entry.verb() != filter.verb) return false;
  if (filter.result != v1::AUDIT_RESULT_UNSPECIFIED &&
      entry.result() != filter.result) {
    return false;
  }
  if (!filter.identity.empty() &&
      std::find(entry.identities().begin(), entry.identities().end(),
                filter.identity) == entry.identities().end()) {
    return false;
  }
  return true;
}

absl::Status DoesNotFit(size_t entry_bytes) {
  return absl::ResourceExhaustedError(absl::StrCat(
      "the audit entry of this change (", entry_bytes,
      " bytes) does not fit its etcd transaction beside the change itself: "
      "one transaction is at most ",
      kEtcdRequestBytes, " bytes and ", kEtcdMaxTxnOperations, " keys"));
}

}  // namespace

absl::StatusOr<uint64_t> EtcdAuditLog::Stage(const v1::AuditEntry& entry,
                                             EtcdTransactionView& view) const {
  EtcdWriteSet& writes = view.writes();
  std::string value = EntryValue(entry);

  if (entry.id() != 0) {
    const std::string key = keys_->audit_entry(entry.id());
    absl::StatusOr<EtcdTransactionView::Read> current = view.Get(key);
    if (!current.ok()) return current.status();
    if (!current->value.has_value()) {
      return absl::NotFoundError(
          absl::StrCat("audit entry ", entry.id(), " is not in the store"));
    }
    // A key staged already is replaced in place: only the growth counts.
    std::optional<std::optional<std::string>> staged = writes.Written(key);
    size_t before = staged.has_value()
                        ? EtcdWriteBytes(key.size(), current->value->size())
                        : 0;
    size_t after = EtcdWriteBytes(key.size(), value.size());
    if (!writes.FitsAuditEntry(staged.has_value() ? 0 : 1,
                               after > before ? after - before : 0)) {
      return DoesNotFit(value.size());
    }
    writes.Put(key, std::move(value), current->mod_revision);
    return entry.id();
  }

  // The last id: as an earlier append of this transaction staged it, else
  // as etcd has it now.
  view.HoldUntilCommitted(append_turn_);
  const std::string counter = keys_->audit_next();
  uint64_t last = 0;
  int64_t counter_mod = 0;
  size_t new_keys = 2;
  if (std::optional<std::optional<std::string>> staged =
          writes.Written(counter);
      staged.has_value() && staged->has_value()) {
    absl::StatusOr<uint64_t> parsed = ParseCounter(*keys_, **staged);
    if (!parsed.ok()) return parsed.status();
    last = *parsed;
    new_keys = 1;
  } else {
    etcdserverpb::RangeRequest range;
    range.set_key(counter);
    absl::StatusOr<etcdserverpb::RangeResponse> read = client_->Range(range);
    if (!read.ok()) return read.status();
    if (read->kvs_size() > 0) {
      absl::StatusOr<uint64_t> parsed =
          ParseCounter(*keys_, read->kvs(0).value());
      if (!parsed.ok()) return parsed.status();
      last = *parsed;
      counter_mod = read->kvs(0).mod_revision();
    }
  }
  const uint64_t id = last + 1;
  const std::string key = keys_->audit_entry(id);
  size_t bytes = EtcdWriteBytes(key.size(), value.size()) +
                 EtcdWriteBytes(counter.size(), kCounterValueBytes);
  if (!writes.FitsAuditEntry(new_keys, bytes)) {
    return DoesNotFit(value.size());
  }
  // The counter's compare (its mod revision as read) is what makes two
  // appends conflict; the entry's (absent) guards against a counter that
  // was reset under existing entries.
  writes.Put(counter, absl::StrCat(id), counter_mod);
  writes.Put(key, std::move(value), 0);
  return id;
}

absl::Status EtcdAuditLog::ForEach(
    const AuditFilter& filter,
    const std::function<bool(const v1::AuditEntry&)>& visit) const {
  // The newest id, and the revision every read below is made at.
  etcdserverpb::RangeRequest counter;
  counter.set_key(keys_->audit_next());
  absl::StatusOr<etcdserverpb::RangeResponse> read = client_->RangeNow(counter);
  if (!read.ok()) return read.status();
  const int64_t revision = read->header().revision();
  if (read->kvs_size() == 0) return absl::OkStatus();  // nothing appended yet
  absl::StatusOr<uint64_t> newest = ParseCounter(*keys_, read->kvs(0).value());
  if (!newest.ok()) return newest.status();

  // The oldest id still stored (pruning removes the lowest ones).
  etcdserverpb::RangeRequest first;
  first.set_key(keys_->audit_entries());
  first.set_range_end(etcd::PrefixRangeEnd(keys_->audit_entries()));
  first.set_limit(1);
  first.set_keys_only(true);
  first.set_revision(revision);
  read = client_->RangeNow(first);
  if (!read.ok()) return read.status();
  if (read->kvs_size() == 0) return absl::OkStatus();  // all pruned
  EtcdKeys::Parsed parsed = keys_->Parse(read->kvs(0).key());
  std::optional<uint64_t> oldest = EtcdKeys::AuditId(parsed.name);
  if (!oldest.has_value()) {
    return absl::DataLossError(absl::StrCat("the etcd store's key ",
                                            read->kvs(0).key(),
                                            " is not a readable audit entry"));
  }

  // Windows of ids from the newest down, each read in etcd's own (key)
  // order and visited backwards.
  for (uint64_t high = *newest; high >= *oldest;) {
    uint64_t low = high - std::min(high - *oldest, kAuditPageSize - 1);
    etcdserverpb::RangeRequest window;
    window.set_key(keys_->audit_entry(low));
    window.set_range_end(keys_->audit_entry(high + 1));
    window.set_revision(revision);
    read = client_->RangeNow(window);
    if (!read.ok()) return read.status();
    for (int i = read->kvs_size() - 1; i >= 0; --i) {
      absl::StatusOr<v1::AuditEntry> entry = ParseEntry(*keys_, read->kvs(i));
      if (!entry.ok()) return entry.status();
      if (!Matches(filter, *entry)) continue;
      if (!visit(*entry)) return absl::OkStatus();
    }
    if (low == *oldest) break;
    high = low - 1;
  }
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> EtcdAuditLog::Prune(absl::Time older_than,
                                             uint64_t limit) const {
  if (limit == 0) return 0;
  const int64_t before_us = absl::ToUnixMicros(older_than);
  const std::string end = etcd::PrefixRangeEnd(keys_->audit_entries());
  for (int attempt = 0; attempt < kMaxPruneAttempts; ++attempt) {
    // The oldest entries, in id order, as long as they are old enough: an
    // entry out of time order waits until those before it go (as SQLite).
    std::string first;
    std::string last;
    uint64_t count = 0;
    int64_t revision = 0;  // pinned by the first page
    std::string from = keys_->audit_entries();
    bool done = false;
    while (!done && count < limit) {
      etcdserverpb::RangeRequest page;
      page.set_key(from);
      page.set_range_end(end);
      page.set_limit(
          static_cast<int64_t>(std::min(kAuditPageSize, limit - count)));
      page.set_revision(revision);
      absl::StatusOr<etcdserverpb::RangeResponse> read = client_->Range(page);
      if (!read.ok()) return read.status();
      if (revision == 0) revision = read->header().revision();
      for (const mvccpb::KeyValue& kv : read->kvs()) {
        absl::StatusOr<v1::AuditEntry> entry = ParseEntry(*keys_, kv);
        if (!entry.ok()) return entry.status();
        if (MicrosOf(entry->time()) >= before_us) {
          done = true;
          break;
        }
        if (first.empty()) first = kv.key();
        last = kv.key();
        ++count;
      }
      if (!read->more() || read->kvs_size() == 0) done = true;
      if (!done) from = read->kvs(read->kvs_size() - 1).key() + '\0';
    }
    if (count == 0) return 0;

    // One range: ids between first and last are exactly those read, as
    // appends take ids above every stored one. Removed only if none of
    // them changed since (a bulk call may be replacing its entry).
    const std::string range_end = last + '\0';
    etcdserverpb::TxnRequest txn;
    etcdserverpb::Compare* unchanged = txn.add_compare();
    unchanged->set_key(first);
    unchanged->set_range_end(range_end);
    unchanged->set_target(etcdserverpb::Compare::MOD);
    unchanged->set_result(etcdserverpb::Compare::LESS);
    unchanged->set_mod_revision(revision + 1);
    etcdserverpb::DeleteRangeRequest* remove =
        txn.add_success()->mutable_request_delete_range();
    remove->set_key(first);
    remove->set_range_end(range_end);
    etcd::CallReport report;
    absl::StatusOr<etcdserverpb::TxnResponse> response =
        client_->Txn(txn, &report);
    if (!response.ok()) return response.status();
    if (!response->succeeded()) continue;  // read the batch again
    // An attempt whose answer was lost may have removed them already.
    if (report.earlier_attempt_may_have_applied) return count;
    return static_cast<uint64_t>(
        response->responses(0).response_delete_range().deleted());
  }
  return absl::AbortedError(
      "writers kept replacing the oldest audit entries while they were "
      "pruned; nothing was removed: the next pass tries again");
}

}  // namespace xmppfed::store
