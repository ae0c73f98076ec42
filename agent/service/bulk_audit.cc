#include "agent/service/bulk_audit.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "agent/audit/security_log.h"
#include "agent/runtime/log.h"

namespace xmppfed::service {
namespace {

// A warning names this many partners, then counts the others.
constexpr size_t kIdentitiesLogged = 20;

}  // namespace

void BulkAudit::Identities::Add(const std::string& identity) {
  if (listed.size() < audit::kMaxIdentities) listed.push_back(identity);
  ++total;
}

void BulkAudit::Identities::Append(const Identities& more) {
  for (const std::string& identity : more.listed) {
    if (listed.size() < audit::kMaxIdentities) listed.push_back(identity);
  }
  total += more.total;
}

BulkAudit::BulkAudit(audit::AuditTrail* trail, const audit::Actor& actor,
                     BatchMode mode, Counts counts)
    : trail_(trail),
      mode_(mode),
      counts_(std::move(counts)),
      entry_(trail->Begin(actor)) {}

void BulkAudit::Written(const std::string& identity, bool weakened) {
  written_now_.Add(identity);
  if (weakened) weakened_now_.Add(identity);
  dirty_ = true;
}

void BulkAudit::Refused() {
  ++refused_;
  dirty_ = true;
}

v1::AuditEntry BulkAudit::Entry(bool with_pending) const {
  v1::AuditEntry entry = entry_;
  entry.clear_changes();
  for (const auto& [name, count] : counts_()) {
    v1::AuditChange* change = entry.add_changes();
    change->set_field(name);
    change->set_new_value(absl::StrCat(count));
  }
  Identities all = written_;
  if (with_pending) all.Append(written_now_);
  audit::SetIdentities(all.listed, all.total, &entry);
  entry.set_result(all.total > 0 ? v1::AUDIT_RESULT_OK
                                 : v1::AUDIT_RESULT_REFUSED);
  entry.set_error(refused_ == 0
                      ? ""
                      : absl::StrCat(refused_, " record",
                                     refused_ == 1 ? "" : "s", " refused"));
  return entry;
}

absl::Status BulkAudit::BeforeCommit(store::PartnerTransaction& txn) {
  entry_id_now_ = entry_.id();
  if (!dirty_) return absl::OkStatus();
  absl::StatusOr<uint64_t> id = txn.PutAuditEntry(Entry(true));
  if (!id.ok()) return id.status();
  entry_id_now_ = *id;
  return absl::OkStatus();
}

void BulkAudit::AfterCommit() {
  entry_.set_id(entry_id_now_);
  written_.Append(written_now_);
  weakened_.Append(weakened_now_);
  written_now_ = {};
  weakened_now_ = {};
  dirty_ = false;
}

void BulkAudit::Finish() {
  if (mode_ == BatchMode::kDryRun) return;
  if (mode_ == BatchMode::kAllOrNothing && entry_.id() == 0 && refused_ > 0) {
    // Nothing was written, which is what the entry says.
    written_now_ = {};
    trail_->RecordRefused(
        Entry(false),
        absl::FailedPreconditionError(absl::StrCat(
            Entry(false).error(), "; nothing was written (atomic)")));
  }
  if (entry_.id() == 0) return;
  audit::LogSecurityRelevantChanges(Entry(false));
  if (weakened_.total == 0) return;
  std::vector<std::string> shown(
      weakened_.listed.begin(),
      weakened_.listed.begin() +
          std::min(weakened_.listed.size(), kIdentitiesLogged));
  runtime::LogWarning(
      "security.tls.weakened",
      absl::StrCat("count=", weakened_.total,
                   " identities=", absl::StrJoin(shown, ","),
                   weakened_.total > shown.size() ? ",..." : "",
                   " tlsNegotiation=NotSupported verb=", entry_.verb(), " ",
                   audit::CallerForLog(entry_.caller())));
}

}  // namespace xmppfed::service
