#include "agent/service/partner_importer.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
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

struct PartnerImporter::Run {
  v1::ImportOptions options;
  v1::ImportSummary summary;
};

PartnerImporter::PartnerImporter(store::Store* store,
                                 std::vector<std::string> local_domains)
    : store_(store), local_domains_(std::move(local_domains)) {}

absl::Status PartnerImporter::Import(const ReadRequest& read,
                                     const WriteReply& write) {
  Run run;
  absl::Status imported = ImportInOneTransaction(run, read, write);
  v1::ImportSummary& summary = run.summary;
  runtime::LogNotice(
      "partners.imported",
      absl::StrCat(
          "created=", summary.created(), " updated=", summary.updated(),
          " unchanged=", summary.unchanged(), " refused=", summary.refused(),
          " committed=", summary.committed() ? "true" : "false",
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
        return commit ? store::TransactionEnd::kCommit
                      : store::TransactionEnd::kRollBack;
      });
  if (!status.ok()) return status;
  run.summary.set_committed(!run.options.what_if() &&
                            run.summary.refused() == 0);
  return absl::OkStatus();
}

absl::Status PartnerImporter::ImportInBatches(
    Run& run, v1::ImportPartnersRequest& request, const ReadRequest& read,
    const WriteReply& write) {
  while (true) {
    if (request.records_size() > 0) {
      v1::ImportPartnersReply reply;
      absl::Status status = store_->RunPartnerTransaction(
          [&](store::PartnerTransaction& txn)
              -> absl::StatusOr<store::TransactionEnd> {
            absl::StatusOr<v1::ImportPartnersReply> results =
                ImportRecords(run, txn, request);
            if (!results.ok()) return results.status();
            reply = *std::move(results);
            return store::TransactionEnd::kCommit;
          });
      if (!status.ok()) return status;
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

  if (!existing->has_value()) {
    absl::StatusOr<v1::Partner> created = txn.CreatePartner(partner);
    if (!created.ok()) return refused_or_failed(created.status());
    result.set_status(v1::IMPORT_STATUS_CREATED);
    if (run.options.what_if()) *result.mutable_after() = *std::move(created);
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
  if (run.options.what_if()) {
    *result.mutable_before() = **existing;
    *result.mutable_after() = *std::move(updated);
  }
  return result;
}

}  // namespace xmppfed::service
