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

// A batch whose transaction keeps losing races with other nodes' writes.
constexpr int kMaxConflicts = 5;

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
  runtime::LogInfo(
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
  auto body = [&](store::PartnerTransaction& txn)
      -> absl::StatusOr<store::TransactionEnd> {
    while (true) {
      v1::ImportPartnersReply reply;
      absl::StatusOr<int> imported =
          ImportRecords(run, txn, request, 0, /*stop_when_full=*/false, &reply);
      if (!imported.ok()) return imported.status();
      Count(reply, &run.summary);
      if (reply.results_size() > 0 && !write(reply)) return ClientGone();
      if (request.last()) break;
      if (!read(&request)) return ClientGone();
    }
    bool commit = !run.options.what_if() && run.summary.refused() == 0;
    return commit ? store::TransactionEnd::kCommit
                  : store::TransactionEnd::kRollBack;
  };
  // What-if commits nothing, so no limit of the store's transactions
  // applies to it.
  absl::Status status = run.options.what_if()
                            ? store_->RunPartnerDryRun(body)
                            : store_->RunPartnerTransaction(body);
  if (status.code() == absl::StatusCode::kResourceExhausted) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "--atomic: the import does not fit one transaction of the store (",
        status.message(),
        "); nothing was written: import without --atomic, or in smaller "
        "files"));
  }
  if (status.code() == absl::StatusCode::kAborted) {
    return absl::AbortedError(absl::StrCat(
        status.message(), ": the --atomic import wrote nothing; run it again"));
  }
  if (!status.ok()) return status;
  run.summary.set_committed(!run.options.what_if() &&
                            run.summary.refused() == 0);
  return absl::OkStatus();
}

absl::Status PartnerImporter::ImportInBatches(
    Run& run, v1::ImportPartnersRequest& request, const ReadRequest& read,
    const WriteReply& write) {
  while (true) {
    v1::ImportPartnersReply reply;
    int next = 0;
    int conflicts = 0;
    // The message's records in one transaction, or in as many as the store
    // needs (etcd: at most 128 keys each), each committed before the next.
    while (next < request.records_size()) {
      v1::ImportPartnersReply part;
      int end = next;
      absl::Status status = store_->RunPartnerTransaction(
          [&](store::PartnerTransaction& txn)
              -> absl::StatusOr<store::TransactionEnd> {
            part.Clear();
            absl::StatusOr<int> imported = ImportRecords(
                run, txn, request, next, /*stop_when_full=*/true, &part);
            if (!imported.ok()) return imported.status();
            end = *imported;
            return store::TransactionEnd::kCommit;
          });
      if (status.code() == absl::StatusCode::kAborted &&
          ++conflicts < kMaxConflicts) {
        continue;  // another node wrote what these records read: again
      }
      if (!status.ok()) return status;
      conflicts = 0;
      next = end;
      Count(part, &run.summary);
      for (v1::ImportResult& result : *part.mutable_results()) {
        *reply.add_results() = std::move(result);
      }
      // What was just committed counts even if the client goes away now.
      run.summary.set_committed(true);
    }
    if (reply.results_size() > 0 && !write(reply)) return ClientGone();
    if (request.last()) return absl::OkStatus();
    if (!read(&request)) return ClientGone();
  }
}

absl::StatusOr<int> PartnerImporter::ImportRecords(
    Run& run, store::PartnerTransaction& txn,
    const v1::ImportPartnersRequest& request, int first, bool stop_when_full,
    v1::ImportPartnersReply* reply) {
  for (int i = first; i < request.records_size(); ++i) {
    absl::StatusOr<v1::ImportResult> result =
        ImportRecord(run, txn, request.records(i));
    if (!result.ok()) {
      // The store's transaction is full: the records so far commit, this
      // one goes into the next transaction.
      if (stop_when_full &&
          result.status().code() == absl::StatusCode::kResourceExhausted &&
          i > first) {
        return i;
      }
      return result.status();
    }
    *reply->add_results() = *std::move(result);
  }
  return request.records_size();
}

void PartnerImporter::Count(const v1::ImportPartnersReply& reply,
                            v1::ImportSummary* summary) {
  for (const v1::ImportResult& result : reply.results()) {
    switch (result.status()) {
      case v1::IMPORT_STATUS_CREATED:
        summary->set_created(summary->created() + 1);
        break;
      case v1::IMPORT_STATUS_UPDATED:
        summary->set_updated(summary->updated() + 1);
        break;
      case v1::IMPORT_STATUS_UNCHANGED:
        summary->set_unchanged(summary->unchanged() + 1);
        break;
      default:
        summary->set_refused(summary->refused() + 1);
        break;
    }
  }
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
  return result;
}

}  // namespace xmppfed::service
