#include "agent/service/partner_importer.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "agent/errors/field_error.h"
#include "agent/runtime/log.h"
#include "agent/service/batch_run.h"
#include "agent/service/bulk_audit.h"
#include "agent/service/partner_checks.h"
#include "agent/service/partner_writes.h"

namespace xmppfed::service {
namespace {

void Refuse(const absl::Status& status, v1::ImportResult* result) {
  result->set_status(v1::IMPORT_STATUS_REFUSED);
  result->set_error(std::string(status.message()));
  if (std::optional<v1::ErrorDetail> detail = errors::GetErrorDetail(status)) {
    *result->mutable_error_detail() = *std::move(detail);
  }
  result->clear_warnings();
}

v1::ImportStatus ImportStatusOf(PartnerWrite::Outcome outcome) {
  switch (outcome) {
    case PartnerWrite::Outcome::kCreated:
      return v1::IMPORT_STATUS_CREATED;
    case PartnerWrite::Outcome::kUpdated:
      return v1::IMPORT_STATUS_UPDATED;
    case PartnerWrite::Outcome::kUnchanged:
      return v1::IMPORT_STATUS_UNCHANGED;
  }
  return v1::IMPORT_STATUS_UNSPECIFIED;
}

}  // namespace

struct PartnerImporter::Run {
  v1::ImportOptions options;
  v1::ImportSummary summary;
  BulkAudit* audit = nullptr;
};

PartnerImporter::PartnerImporter(store::Store* store,
                                 std::vector<std::string> local_domains,
                                 audit::AuditTrail* trail)
    : store_(store), local_domains_(std::move(local_domains)), trail_(trail) {}

absl::Status PartnerImporter::Import(const ReadRequest& read,
                                     const WriteReply& write,
                                     const audit::Actor& actor) {
  Run run;
  v1::ImportPartnersRequest request;
  bool committed = false;
  absl::Status status = ClientGone();
  if (read(&request)) {
    run.options = request.options();
    BatchMode mode = BatchModeOf(run.options.atomic(), run.options.what_if());
    BulkAudit bulk_audit(trail_, actor, mode, [&run] {
      const v1::ImportSummary& summary = run.summary;
      return std::vector<std::pair<std::string, uint64_t>>{
          {"created", summary.created()},
          {"updated", summary.updated()},
          {"unchanged", summary.unchanged()},
          {"refused", summary.refused()}};
    });
    run.audit = &bulk_audit;
    BatchStream<v1::ImportPartnersRequest, v1::ImportPartnersReply> stream{
        .read = read,
        .write = write,
        .apply =
            [&](store::PartnerTransaction& txn,
                const v1::ImportPartnersRequest& message, int first,
                v1::ImportPartnersReply* reply) {
              return ImportRecords(run, txn, message, first, reply);
            },
        .any_failed = [&] { return run.summary.refused() > 0; }};
    bulk_audit.Attach(stream);
    status = RunBatches(*store_, mode, request, stream, &committed);
    bulk_audit.Finish();
  }
  v1::ImportSummary& summary = run.summary;
  summary.set_committed(committed);
  runtime::LogNotice(
      "partners.imported",
      absl::StrCat(
          "created=", summary.created(), " updated=", summary.updated(),
          " unchanged=", summary.unchanged(), " refused=", summary.refused(),
          " committed=", summary.committed() ? "true" : "false", " ",
          audit::CallerForLog(audit::ToAuditCaller(actor.caller)),
          status.ok() ? "" : " error=", status.message()));
  if (!status.ok()) return status;
  return SendSummary(summary, write);
}

absl::StatusOr<int> PartnerImporter::ImportRecords(
    Run& run, store::PartnerTransaction& txn,
    const v1::ImportPartnersRequest& request, int first,
    v1::ImportPartnersReply* reply) {
  // Results without partners are small: a whole message's fit one reply.
  for (int i = first; i < request.records_size(); ++i) {
    absl::StatusOr<v1::ImportResult> result =
        ImportRecord(run, txn, request.records(i));
    // The store's transaction is full (etcd): what it holds commits, this
    // record goes into the next one.
    if (TransactionFull(result.status(), i, first)) return i;
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
        run.audit->Refused();
        break;
    }
    *reply->add_results() = *std::move(result);
  }
  return request.records_size();
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
  absl::StatusOr<PartnerWrite> written = WritePartner(
      txn, *identity, record.fields(),
      run.options.update() ? WriteMode::kCreateOrUpdate : WriteMode::kCreate,
      local_domains_);
  if (!written.ok()) return refused_or_failed(written.status());
  result.set_status(ImportStatusOf(written->outcome));
  if (written->outcome != PartnerWrite::Outcome::kUnchanged) {
    run.audit->Written(*identity, WeakensTls(*written));
  }
  for (std::string& warning : written->warnings) {
    result.add_warnings(std::move(warning));
  }
  if (run.options.what_if() &&
      written->outcome != PartnerWrite::Outcome::kUnchanged) {
    if (written->before) *result.mutable_before() = *written->before;
    *result.mutable_after() = written->partner;
  }
  return result;
}

}  // namespace xmppfed::service
