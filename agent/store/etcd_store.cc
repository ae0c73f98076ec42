#include "agent/store/etcd_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "agent/etcd/etcd_uri.h"
#include "agent/runtime/log.h"
#include "agent/store/stored_records.h"

namespace xmppfed::store {
namespace {

// How long a write waits for the watch to hand its change to the listener
// before it returns anyway (the watch is reconnecting).
constexpr absl::Duration kDeliveryWait = absl::Seconds(3);
// A member that does not answer get-agent's status request in this time is
// shown as unreachable.
// A write that keeps losing races this often gives up (ABORTED). Every
// audited write of every node bumps the audit id counter, so writes of
// several nodes at once race with each other whatever they change.
constexpr int kMaxWriteAttempts = 12;
// The longest pause before another attempt (see PauseBeforeRetry).
constexpr int kMaxRetryPauseMs = 50;
// Partners per listing page.
constexpr int64_t kPageSize = 500;

// Before another attempt of a write that lost a race with another node: a
// random pause, longer after each attempt, so that the racing nodes do not
// meet again at once.
void PauseBeforeRetry(int attempt) {
  thread_local std::minstd_rand random(std::random_device{}());
  int longest = std::min(2 << std::min(attempt, 16), kMaxRetryPauseMs);
  absl::SleepFor(absl::Milliseconds(
      std::uniform_int_distribution<int>(0, longest)(random)));
}

// The characters of `glob` before its first wildcard: the listing reads
// only the keys starting with them.
std::string LiteralPrefix(std::string_view glob) {
  return std::string(glob.substr(0, glob.find_first_of("*?[")));
}

// Random, so that two stores opened on one prefix (two nodes, or a test)
// tell their invitations apart.
std::string NewInstanceId() {
  absl::StatusOr<std::string> random = RandomPassphrase();
  return random.ok() ? random->substr(0, 16) : absl::StrCat(NowMicros());
}

absl::StatusOr<v1::Partner> ParsePartner(const mvccpb::KeyValue& kv) {
  v1::Partner partner;
  if (!partner.ParseFromString(kv.value())) {
    return absl::DataLossError(
        absl::StrCat("the etcd store's key ", kv.key(), " cannot be parsed"));
  }
  return partner;
}

// A partner transaction on etcd: every write staged in one write set,
// committed as one etcd transaction.
class EtcdPartnerTransaction : public PartnerTransaction {
 public:
  EtcdPartnerTransaction(EtcdTransactionView* view, const EtcdKeys* keys,
                         const EtcdAuditLog* audit)
      : view_(view), writer_(view, keys), audit_(audit), now_us_(NowMicros()) {}

  absl::StatusOr<std::optional<v1::Partner>> GetPartner(
      std::string_view identity) override {
    return writer_.GetPartner(identity);
  }
  absl::StatusOr<std::optional<std::string>> FindDomainOwner(
      std::string_view domain) override {
    return writer_.FindDomainOwner(domain);
  }
  absl::StatusOr<v1::Partner> CreatePartner(
      const v1::Partner& partner) override {
    return writer_.CreatePartner(partner, now_us_);
  }
  absl::StatusOr<v1::Partner> UpdatePartner(
      const v1::Partner& partner,
      std::optional<uint64_t> expected_revision) override {
    return writer_.UpdatePartner(partner, expected_revision, now_us_);
  }
  absl::StatusOr<v1::Partner> DeletePartner(
      std::string_view identity) override {
    return writer_.DeletePartner(identity);
  }
  absl::StatusOr<v1::Partner> RestorePartner(
      const v1::Partner& partner) override {
    return writer_.RestorePartner(partner);
  }
  absl::StatusOr<uint64_t> PutAuditEntry(const v1::AuditEntry& entry) override {
    return audit_->Stage(entry, *view_);
  }

 private:
  EtcdTransactionView* view_;
  EtcdPartnerWriter writer_;
  const EtcdAuditLog* audit_;
  int64_t now_us_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<EtcdStore>> EtcdStore::Open(
    std::string uri, const StoreOptions& options) {
  absl::StatusOr<etcd::EtcdAddress> address = etcd::ParseEtcdUri(uri);
  if (!address.ok()) return address.status();
  etcd::ClientOptions client_options;
  client_options.endpoints = address->endpoints;
  client_options.ca_file = options.etcd_ca_file;
  client_options.cert_file = options.etcd_cert;
  client_options.key_file = options.etcd_key;
  client_options.user = options.etcd_user;
  client_options.password = options.etcd_password;
  absl::StatusOr<std::unique_ptr<etcd::Client>> client =
      etcd::Client::Create(std::move(client_options));
  if (!client.ok()) return client.status();
  std::unique_ptr<EtcdStore> store(new EtcdStore(
      std::move(uri), std::move(address->key_prefix), *std::move(client)));
  if (absl::Status ready = store->Initialize(); !ready.ok()) return ready;
  return store;
}

EtcdStore::EtcdStore(std::string uri, std::string prefix,
                     std::unique_ptr<etcd::Client> client)
    : uri_(std::move(uri)),
      keys_(std::move(prefix)),
      instance_(NewInstanceId()),
      client_(std::move(client)),
      invitations_(client_.get(), &keys_, instance_),
      nodes_(client_.get(), &keys_),
      audit_(client_.get(), &keys_) {}

EtcdStore::~EtcdStore() { feed_.reset(); }

absl::Status EtcdStore::Initialize() {
  // The layout version and the dialback passphrase, each created by the
  // first node to come (create-revision 0) and read by every later one.
  absl::StatusOr<std::string> passphrase = RandomPassphrase();
  if (!passphrase.ok()) return passphrase.status();
  etcdserverpb::TxnRequest txn;
  etcdserverpb::Compare* fresh = txn.add_compare();
  fresh->set_key(keys_.layout());
  fresh->set_target(etcdserverpb::Compare::CREATE);
  fresh->set_result(etcdserverpb::Compare::EQUAL);
  fresh->set_create_revision(0);
  etcdserverpb::PutRequest* layout = txn.add_success()->mutable_request_put();
  layout->set_key(keys_.layout());
  layout->set_value(kEtcdLayoutVersion);
  txn.add_failure()->mutable_request_range()->set_key(keys_.layout());
  absl::StatusOr<etcdserverpb::TxnResponse> laid = client_->Txn(txn);
  if (!laid.ok()) return laid.status();
  if (!laid->succeeded()) {
    const etcdserverpb::RangeResponse& read =
        laid->responses(0).response_range();
    std::string found = read.kvs_size() > 0 ? read.kvs(0).value() : "";
    if (found != kEtcdLayoutVersion) {
      return absl::FailedPreconditionError(absl::StrCat(
          "store=", uri_, ": the keys under ", keys_.prefix(),
          " have layout version ", found, "; this agent reads version ",
          kEtcdLayoutVersion, " (written by another xmppfed version?)"));
    }
  }

  txn.Clear();
  etcdserverpb::Compare* absent = txn.add_compare();
  absent->set_key(keys_.dialback_passphrase());
  absent->set_target(etcdserverpb::Compare::CREATE);
  absent->set_result(etcdserverpb::Compare::EQUAL);
  absent->set_create_revision(0);
  etcdserverpb::PutRequest* put = txn.add_success()->mutable_request_put();
  put->set_key(keys_.dialback_passphrase());
  put->set_value(*passphrase);
  absl::StatusOr<etcdserverpb::TxnResponse> ensured = client_->Txn(txn);
  if (!ensured.ok()) return ensured.status();

  feed_ = std::make_unique<EtcdChangeFeed>(client_.get(), &keys_, instance_,
                                           ensured->header().revision() + 1);
  return absl::OkStatus();
}

absl::Status EtcdStore::Commit(const EtcdWriteSet& writes,
                               etcdserverpb::TxnResponse* conflict,
                               Notice notice, EtcdTransactionView* view) {
  if (writes.empty()) return absl::OkStatus();
  etcd::CallReport report;
  absl::StatusOr<etcdserverpb::TxnResponse> response =
      client_->Txn(writes.ToTxn(), &report);
  if (view != nullptr) view->ReleaseTurn();
  if (!response.ok()) {
    if (response.status().code() == absl::StatusCode::kInvalidArgument ||
        response.status().code() == absl::StatusCode::kResourceExhausted) {
      // Over a limit of this etcd cluster (smaller than the defaults the
      // write set counts with?): refused whole, nothing written.
      return absl::ResourceExhaustedError(absl::StrCat(
          "the etcd store refused the transaction (", writes.operations(),
          " keys): ", response.status().message()));
    }
    return response.status();
  }
  int64_t revision = 0;
  if (response->succeeded()) {
    revision = response->header().revision();
  } else if (report.earlier_attempt_may_have_applied &&
             writes.AppliedIn(*response)) {
    // An attempt whose answer was lost did commit it.
    for (const etcdserverpb::ResponseOp& op : response->responses()) {
      for (const mvccpb::KeyValue& kv : op.response_range().kvs()) {
        revision = std::max(revision, kv.mod_revision());
      }
    }
  } else {
    if (conflict != nullptr) *conflict = *std::move(response);
    return absl::AbortedError(
        "another writer changed the etcd store while this change was "
        "prepared; nothing was written");
  }
  if (notice == Notice::kWaitForListener &&
      !feed_->WaitDelivered(revision, kDeliveryWait)) {
    runtime::LogWarning(
        "store.change_pending",
        absl::StrCat("revision=", revision,
                     " detail=\"committed; the watch is behind and will "
                     "apply it when it catches up\""));
  }
  return absl::OkStatus();
}

absl::Status EtcdStore::WriteWithRetries(
    const std::function<absl::Status(EtcdTransactionView&)>& change,
    Notice notice) {
  for (int attempt = 0; attempt < kMaxWriteAttempts; ++attempt) {
    EtcdWriteSet writes;
    EtcdTransactionView view(client_.get(), &writes);
    if (absl::Status staged = change(view); !staged.ok()) return staged;
    absl::Status committed = Commit(writes, nullptr, notice, &view);
    if (committed.ok()) return absl::OkStatus();
    if (committed.code() != absl::StatusCode::kAborted) return committed;
    PauseBeforeRetry(attempt);
  }
  return absl::AbortedError(
      "other writers kept changing the etcd store while this change was "
      "prepared; nothing was written: try again");
}

void EtcdStore::SetChangeListener(
    std::function<void(const StoreChange&)> listener) {
  feed_->SetListener(std::move(listener));
}

absl::StatusOr<std::optional<std::string>> EtcdStore::GetValue(
    const std::string& key) {
  etcdserverpb::RangeRequest range;
  range.set_key(key);
  absl::StatusOr<etcdserverpb::RangeResponse> got = client_->RangeNow(range);
  if (!got.ok()) return got.status();
  if (got->kvs_size() == 0) return std::optional<std::string>();
  return std::optional<std::string>(got->kvs(0).value());
}

absl::StatusOr<std::optional<v1::Partner>> EtcdStore::GetPartner(
    std::string_view identity) {
  etcdserverpb::RangeRequest range;
  range.set_key(keys_.partner(identity));
  absl::StatusOr<etcdserverpb::RangeResponse> got = client_->RangeNow(range);
  if (!got.ok()) return got.status();
  if (got->kvs_size() == 0) return std::optional<v1::Partner>();
  absl::StatusOr<v1::Partner> partner = ParsePartner(got->kvs(0));
  if (!partner.ok()) return partner.status();
  return std::optional<v1::Partner>(*std::move(partner));
}

absl::StatusOr<std::optional<std::string>> EtcdStore::FindDomainOwner(
    std::string_view domain) {
  return GetValue(keys_.domain(domain));
}

absl::Status EtcdStore::ForEachPartner(
    std::string_view glob,
    const std::function<bool(const v1::Partner&)>& visit) {
  const std::string first = keys_.partners() + LiteralPrefix(glob);
  const std::string end = etcd::PrefixRangeEnd(first);
  const std::string pattern(glob);
  std::string from = first;
  int64_t revision = 0;  // pinned by the first page: one snapshot
  while (true) {
    etcdserverpb::RangeRequest range;
    range.set_key(from);
    range.set_range_end(end);
    range.set_limit(kPageSize);
    range.set_revision(revision);
    absl::StatusOr<etcdserverpb::RangeResponse> page = client_->RangeNow(range);
    if (!page.ok()) return page.status();
    if (revision == 0) revision = page->header().revision();
    for (const mvccpb::KeyValue& kv : page->kvs()) {
      absl::StatusOr<v1::Partner> partner = ParsePartner(kv);
      if (!partner.ok()) return partner.status();
      // SQLite's own GLOB, so both stores match alike.
      if (!pattern.empty() &&
          sqlite3_strglob(pattern.c_str(), partner->identity().c_str()) != 0) {
        continue;
      }
      if (!visit(*partner)) return absl::OkStatus();
    }
    if (!page->more() || page->kvs_size() == 0) return absl::OkStatus();
    from = page->kvs(page->kvs_size() - 1).key() + std::string(1, '\0');
  }
}

absl::StatusOr<uint64_t> EtcdStore::CountPartners() {
  etcdserverpb::RangeRequest range;
  range.set_key(keys_.partners());
  range.set_range_end(etcd::PrefixRangeEnd(keys_.partners()));
  range.set_count_only(true);
  absl::StatusOr<etcdserverpb::RangeResponse> counted =
      client_->RangeNow(range);
  if (!counted.ok()) return counted.status();
  return static_cast<uint64_t>(counted->count());
}

absl::StatusOr<v1::Partner> EtcdStore::CreatePartner(
    const v1::Partner& partner, const v1::AuditEntry& audit) {
  if (absl::Status own = CheckOwnDomains(partner); !own.ok()) return own;
  if (absl::Status fits = EtcdPartnerWriter::CheckFitsAlone(partner);
      !fits.ok()) {
    return fits;
  }
  // One round trip for the partner: every key is created with a
  // create-revision compare, nothing read first; when one exists, the
  // transaction's failure branch says whose it is. (The audit entry reads
  // the id counter.)
  for (int attempt = 0; attempt < kMaxWriteAttempts; ++attempt) {
    int64_t now_us = NowMicros();
    v1::Partner stored = StoredForm(partner, 1, now_us, now_us);
    EtcdWriteSet writes;
    EtcdTransactionView view(client_.get(), &writes);
    writes.Put(keys_.partner(stored.identity()), stored.SerializeAsString(), 0);
    std::vector<std::pair<const char*, std::string>> claims = {
        {"identity", partner.identity()}};
    for (const std::string& domain : partner.additional_domains()) {
      claims.emplace_back("additionalDomains", domain);
    }
    for (const auto& [field, domain] : claims) {
      writes.Put(keys_.domain(domain), stored.identity(), 0);
    }
    if (absl::StatusOr<uint64_t> logged = audit_.Stage(audit, view);
        !logged.ok()) {
      return logged.status();
    }
    etcdserverpb::TxnResponse conflict;
    absl::Status committed =
        Commit(writes, &conflict, Notice::kWaitForListener, &view);
    if (committed.ok()) return stored;
    if (committed.code() != absl::StatusCode::kAborted) return committed;
    // The owners as the failure branch read them, in SQLite's order of
    // checks: the identity, then the additional domains as given.
    std::map<std::string, std::string> taken;
    for (const etcdserverpb::ResponseOp& op : conflict.responses()) {
      for (const mvccpb::KeyValue& kv : op.response_range().kvs()) {
        taken[kv.key()] = kv.value();
      }
    }
    if (taken.contains(keys_.partner(stored.identity()))) {
      return DomainTaken("identity", stored.identity(), stored.identity());
    }
    for (const auto& [field, domain] : claims) {
      auto owner = taken.find(keys_.domain(domain));
      if (owner != taken.end()) {
        return DomainTaken(field, domain, owner->second);
      }
    }
    // What stood in the way was removed meanwhile, or another node
    // appended an audit entry: again.
    PauseBeforeRetry(attempt);
  }
  return absl::AbortedError(
      "other writers kept changing the etcd store while this partner was "
      "created; nothing was written: try again");
}

absl::StatusOr<v1::Partner> EtcdStore::UpdatePartner(
    const v1::Partner& partner, std::optional<uint64_t> expected_revision,
    const v1::AuditEntry& audit) {
  v1::Partner stored;
  absl::Status written = WriteWithRetries([&](EtcdTransactionView& view) {
    absl::StatusOr<v1::Partner> updated =
        EtcdPartnerWriter(&view, &keys_)
            .UpdatePartner(partner, expected_revision, NowMicros());
    if (!updated.ok()) return updated.status();
    stored = *std::move(updated);
    return audit_.Stage(audit, view).status();
  });
  if (!written.ok()) return written;
  return stored;
}

absl::StatusOr<std::vector<v1::Partner>> EtcdStore::DeletePartners(
    const std::vector<std::string>& identities,
    const DescribeRemoval& describe) {
  std::vector<v1::Partner> removed;
  if (identities.empty()) return removed;
  absl::Status written = WriteWithRetries([&](EtcdTransactionView& view) {
    removed.clear();
    EtcdPartnerWriter writer(&view, &keys_);
    std::set<std::string_view> seen;
    for (const std::string& identity : identities) {
      if (!seen.insert(identity).second) continue;
      absl::StatusOr<v1::Partner> deleted = writer.DeletePartner(identity);
      if (!deleted.ok()) return deleted.status();
      removed.push_back(*std::move(deleted));
    }
    return audit_.Stage(describe(removed), view).status();
  });
  if (!written.ok()) return written;
  return removed;
}

absl::Status EtcdStore::RunPartnerTransaction(
    const std::function<absl::StatusOr<TransactionEnd>(PartnerTransaction&)>&
        body) {
  EtcdWriteSet writes;
  EtcdTransactionView view(client_.get(), &writes);
  EtcdPartnerTransaction partners(&view, &keys_, &audit_);
  absl::StatusOr<TransactionEnd> end = body(partners);
  if (!end.ok()) return end.status();
  if (*end == TransactionEnd::kRollBack) return absl::OkStatus();
  // The body may have told its caller what it wrote: it cannot be run
  // again, so a conflict is the caller's to handle.
  return Commit(writes, nullptr, Notice::kWaitForListener, &view);
}

absl::Status EtcdStore::RunPartnerDryRun(
    const std::function<absl::StatusOr<TransactionEnd>(PartnerTransaction&)>&
        body) {
  EtcdWriteSet writes(/*bounded=*/false);
  EtcdTransactionView view(client_.get(), &writes);
  EtcdPartnerTransaction partners(&view, &keys_, &audit_);
  return body(partners).status();
}

}  // namespace xmppfed::store
