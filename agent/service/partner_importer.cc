#include "agent/service/partner_importer.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "agent/errors/field_error.h"
#include "agent/policy/partner_rules.h"
#include "agent/runtime/log.h"
#include "agent/service/partner_checks.h"

namespace xmppfed::service {
namespace {

// The codes of a record that breaks a rule; any other error is the store's
// own failure and ends the import.
bool IsRefusal(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return true;
    default:
      return false;
  }
}

void Refuse(const absl::Status& status, v1::ImportResult* result) {
  result->set_status(v1::IMPORT_STATUS_REFUSED);
  result->set_error(std::string(status.message()));
  if (std::optional<v1::ErrorDetail> detail = errors::GetErrorDetail(status)) {
    *result->mutable_error_detail() = *std::move(detail);
  }
  result->clear_warnings();
}

absl::Status AlreadyAPartner(const std::string& identity) {
  std::string rule = "is already a partner; pass --update to change it";
  return errors::FieldError(
      absl::StatusCode::kAlreadyExists, "identity", identity, rule,
      absl::StrCat("identity=", identity, ": ", rule), identity);
}

absl::Status ClientGone() {
  return absl::CancelledError(
      "the client went away before the end of the import");
}

}  // namespace

// Identities the records touched, the first kMaxIdentities kept, all
// counted.
struct TouchedIdentities {
  std::vector<std::string> listed;
  uint64_t total = 0;
  void Add(const std::string& identity) {
    if (listed.size() < audit::kMaxIdentities) listed.push_back(identity);
    ++total;
  }
  void Append(const TouchedIdentities& more) {
    for (const std::string& identity : more.listed) {
      if (listed.size() < audit::kMaxIdentities) listed.push_back(identity);
    }
    total += more.total;
  }
};

struct PartnerImporter::Run {
  v1::ImportOptions options;
  v1::ImportSummary summary;
  // The call's audit entry; its id once a transaction wrote it.
  v1::AuditEntry entry;
  // Created or updated by committed transactions, and by the current one.
  TouchedIdentities touched, touched_now;
  // Partners whose TLS the records turned to NotSupported.
  TouchedIdentities weakened, weakened_now;
  // Moves what the current transaction did to what is committed.
  void Committed() {
    touched.Append(touched_now);
    weakened.Append(weakened_now);
    touched_now = {};
    weakened_now = {};
  }
};

PartnerImporter::PartnerImporter(store::Store* store,
                                 std::vector<std::string> local_domains,
                                 audit::AuditTrail* trail)
    : store_(store), local_domains_(std::move(local_domains)), trail_(trail) {}

void PartnerImporter::FillEntry(Run& run) {
  TouchedIdentities all = run.touched;
  all.Append(run.touched_now);
  run.entry.clear_changes();
  const v1::ImportSummary& summary = run.summary;
  for (auto [field, count] : {std::pair{"created", summary.created()},
                              std::pair{"updated", summary.updated()},
                              std::pair{"unchanged", summary.unchanged()},
                              std::pair{"refused", summary.refused()}}) {
    v1::AuditChange* change = run.entry.add_changes();
    change->set_field(field);
    change->set_new_value(absl::StrCat(count));
  }
  audit::SetIdentities(all.listed, all.total, &run.entry);
  bool changed = summary.created() + summary.updated() > 0;
  run.entry.set_result(changed ? v1::AUDIT_RESULT_OK
                               : v1::AUDIT_RESULT_REFUSED);
  run.entry.set_error(summary.refused() > 0
                          ? absl::StrCat(summary.refused(), " record",
                                         summary.refused() == 1 ? "" : "s",
                                         " refused")
                          : "");
}

void PartnerImporter::LogWeakened(const Run& run) {
  if (run.weakened.total == 0) return;
  std::vector<std::string> shown(
      run.weakened.listed.begin(),
      run.weakened.listed.begin() +
          std::min<size_t>(run.weakened.listed.size(), 20));
  runtime::LogWarning(
      "security.tls.weakened",
      absl::StrCat("count=", run.weakened.total,
                   " identities=", absl::StrJoin(shown, ","),
                   run.weakened.total > shown.size() ? ",..." : "",
                   " tlsNegotiation=NotSupported verb=import-partners ",
                   audit::CallerForLog(run.entry.caller())));
}

absl::Status PartnerImporter::Import(const ReadRequest& read,
                                     const WriteReply& write,
                                     const audit::Actor& actor) {
  Run run;
  run.entry = trail_->Begin(actor);
  absl::Status imported = ImportInOneTransaction(run, read, write);
  LogWeakened(run);
  v1::ImportSummary& summary = run.summary;
  runtime::LogInfo(
      "partners.imported",
      absl::StrCat(
          "created=", summary.created(), " updated=", summary.updated(),
          " unchanged=", summary.unchanged(), " refused=", summary.refused(),
          " committed=", summary.committed() ? "true" : "false", " ",
          audit::CallerForLog(run.entry.caller()),
          imported.ok() ? "" : " error=", imported.message()));
  if (!imported.ok()) return imported;
  v1::ImportPartnersReply last;
  *last.mutable_summary() = summary;
  last.set_last(true);
  if (!write(last)) return ClientGone();
  return absl::OkStatus();
}

absl::Status PartnerImporter::ImportInOneTransaction(Run& run,
                                                     const ReadRequest& read,
                                                     const WriteReply& write) {
  v1::ImportPartnersRequest request;
  if (!read(&request)) return ClientGone();
  run.options = request.options();
  if (!run.options.atomic() && !run.options.what_if()) {
    return ImportInBatches(run, request, read, write);
  }
  absl::Status status = store_->RunPartnerTransaction(
      [&](store::PartnerTransaction& txn)
          -> absl::StatusOr<store::TransactionEnd> {
        while (true) {
          absl::StatusOr<v1::ImportPartnersReply> reply =
              ImportRecords(run, txn, request);
          if (!reply.ok()) return reply.status();
          if (reply->results_size() > 0 && !write(*reply)) return ClientGone();
          if (request.last()) break;
          if (!read(&request)) return ClientGone();
        }
        bool commit = !run.options.what_if() && run.summary.refused() == 0;
        if (!commit) return store::TransactionEnd::kRollBack;
        if (run.summary.created() + run.summary.updated() > 0) {
          FillEntry(run);
          absl::StatusOr<uint64_t> id = txn.PutAuditEntry(run.entry);
          if (!id.ok()) return id.status();
        }
        return store::TransactionEnd::kCommit;
      });
  if (!status.ok()) return status;
  bool committed = !run.options.what_if() && run.summary.refused() == 0;
  run.summary.set_committed(committed);
  if (committed) {
    run.Committed();
  } else if (!run.options.what_if()) {
    // Atomic and refused: nothing was written, which is what the entry says.
    run.touched_now = {};
    run.weakened_now = {};
    FillEntry(run);
    trail_->RecordRefused(
        run.entry, absl::FailedPreconditionError(absl::StrCat(
                       run.entry.error(), "; nothing was imported (atomic)")));
  }
  return absl::OkStatus();
}

absl::Status PartnerImporter::ImportInBatches(
    Run& run, v1::ImportPartnersRequest& request, const ReadRequest& read,
    const WriteReply& write) {
  while (true) {
    if (request.records_size() > 0) {
      v1::ImportPartnersReply reply;
      uint64_t entry_id = run.entry.id();
      absl::Status status = store_->RunPartnerTransaction(
          [&](store::PartnerTransaction& txn)
              -> absl::StatusOr<store::TransactionEnd> {
            run.touched_now = {};
            run.weakened_now = {};
            v1::ImportSummary before = run.summary;
            absl::StatusOr<v1::ImportPartnersReply> results =
                ImportRecords(run, txn, request);
            if (!results.ok()) return results.status();
            reply = *std::move(results);
            // The entry goes with every transaction that changed or refused
            // something, as it stands after it.
            if (run.summary.created() != before.created() ||
                run.summary.updated() != before.updated() ||
                run.summary.refused() != before.refused()) {
              FillEntry(run);
              absl::StatusOr<uint64_t> id = txn.PutAuditEntry(run.entry);
              if (!id.ok()) return id.status();
              entry_id = *id;
            }
            return store::TransactionEnd::kCommit;
          });
      if (!status.ok()) return status;
      run.entry.set_id(entry_id);
      run.Committed();
      // What was just committed counts even if the client goes away now.
      run.summary.set_committed(true);
      if (!write(reply)) return ClientGone();
    }
    if (request.last()) return absl::OkStatus();
    if (!read(&request)) return ClientGone();
  }
}

absl::StatusOr<v1::ImportPartnersReply> PartnerImporter::ImportRecords(
    Run& run, store::PartnerTransaction& txn,
    const v1::ImportPartnersRequest& request) {
  v1::ImportPartnersReply reply;
  for (const v1::ImportRecord& record : request.records()) {
    absl::StatusOr<v1::ImportResult> result = ImportRecord(run, txn, record);
    if (!result.ok()) return result.status();
    v1::ImportSummary& summary = run.summary;
    switch (result->status()) {
      case v1::IMPORT_STATUS_CREATED:
        summary.set_created(summary.created() + 1);
        break;
      case v1::IMPORT_STATUS_UPDATED:
        summary.set_updated(summary.updated() + 1);
        break;
      case v1::IMPORT_STATUS_UNCHANGED:
        summary.set_unchanged(summary.unchanged() + 1);
        break;
      default:
        summary.set_refused(summary.refused() + 1);
        break;
    }
    *reply.add_results() = *std::move(result);
  }
  return reply;
}

absl::StatusOr<v1::ImportResult> PartnerImporter::ImportRecord(
    Run& run, store::PartnerTransaction& txn, const v1::ImportRecord& record) {
  v1::ImportResult result;
  result.set_line(record.line());
  result.set_identity(record.identity());
  if (!record.input_error().empty()) {
    result.set_status(v1::IMPORT_STATUS_REFUSED);
    result.set_error(record.input_error());
    return result;
  }
  // Refusals leave the transaction as it was; anything else ends the run.
  auto refused_or_failed =
      [&](const absl::Status& status) -> absl::StatusOr<v1::ImportResult> {
    if (!IsRefusal(status)) return status;
    Refuse(status, &result);
    return result;
  };

  absl::StatusOr<std::string> identity = NormalizeIdentity(record.identity());
  if (!identity.ok()) return refused_or_failed(identity.status());
  result.set_identity(*identity);
  absl::StatusOr<std::optional<v1::Partner>> existing =
      txn.GetPartner(*identity);
  if (!existing.ok()) return existing.status();
  if (existing->has_value() && !run.options.update()) {
    return refused_or_failed(AlreadyAPartner(*identity));
  }

  v1::Partner partner =
      existing->has_value() ? **existing : policy::DefaultPartner(*identity);
  absl::StatusOr<std::vector<std::string>> warnings =
      policy::ApplyPartnerFields(record.fields(), &partner);
  if (!warnings.ok()) return refused_or_failed(warnings.status());
  for (std::string& warning : *warnings) {
    result.add_warnings(std::move(warning));
  }
  // Ownership is not looked up here: the transaction's Create and Update
  // refuse a domain of another partner with the same ALREADY_EXISTS error,
  // and looking twice cost a fifth of an import's time.
  if (absl::Status local = CheckNoLocalDomain(partner, local_domains_);
      !local.ok()) {
    return refused_or_failed(local);
  }

  bool weakens = partner.tls_negotiation() == v1::NEGOTIATION_NOT_SUPPORTED &&
                 (!existing->has_value() || (*existing)->tls_negotiation() !=
                                                v1::NEGOTIATION_NOT_SUPPORTED);
  if (!existing->has_value()) {
    absl::StatusOr<v1::Partner> created = txn.CreatePartner(partner);
    if (!created.ok()) return refused_or_failed(created.status());
    result.set_status(v1::IMPORT_STATUS_CREATED);
    run.touched_now.Add(partner.identity());
    if (weakens) run.weakened_now.Add(partner.identity());
    return result;
  }
  if (SameConfiguration(partner, **existing)) {
    result.set_status(v1::IMPORT_STATUS_UNCHANGED);
    return result;
  }
  absl::StatusOr<v1::Partner> updated =
      txn.UpdatePartner(partner, (*existing)->revision());
  if (!updated.ok()) return refused_or_failed(updated.status());
  result.set_status(v1::IMPORT_STATUS_UPDATED);
  run.touched_now.Add(partner.identity());
  if (weakens) run.weakened_now.Add(partner.identity());
  return result;
}

}  // namespace xmppfed::service
