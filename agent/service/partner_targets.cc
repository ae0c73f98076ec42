#include "agent/service/partner_targets.h"

#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "agent/errors/field_error.h"
#include "agent/runtime/log.h"
#include "agent/service/batch_run.h"
#include "agent/service/partner_checks.h"
#include "agent/service/partner_writes.h"

namespace xmppfed::service {
namespace {

// The target's own fields (set-partner --from-input), then the options',
// which win: a list the options replace is replaced, not appended to.
v1::PartnerFields MergedFields(const v1::PartnerFields& target,
                               const v1::PartnerFields& options) {
  v1::PartnerFields merged = target;
  if (options.has_additional_domains()) merged.clear_additional_domains();
  merged.MergeFrom(options);
  return merged;
}

v1::TargetStatus StatusOf(PartnerWrite::Outcome outcome) {
  return outcome == PartnerWrite::Outcome::kUnchanged
             ? v1::TARGET_STATUS_UNCHANGED
             : v1::TARGET_STATUS_UPDATED;
}

bool AnyFailed(const v1::TargetSummary& summary) {
  return summary.refused() + summary.not_found() + summary.failed() > 0;
}

std::string Counts(const v1::TargetSummary& summary) {
  return absl::StrCat(
      "updated=", summary.updated(), " unchanged=", summary.unchanged(),
      " removed=", summary.removed(), " found=", summary.found(),
      " not_found=", summary.not_found(), " refused=", summary.refused());
}

}  // namespace

void CountTarget(v1::TargetStatus status, v1::TargetSummary* summary) {
  switch (status) {
    case v1::TARGET_STATUS_UPDATED:
      summary->set_updated(summary->updated() + 1);
      break;
    case v1::TARGET_STATUS_UNCHANGED:
      summary->set_unchanged(summary->unchanged() + 1);
      break;
    case v1::TARGET_STATUS_REMOVED:
      summary->set_removed(summary->removed() + 1);
      break;
    case v1::TARGET_STATUS_FOUND:
      summary->set_found(summary->found() + 1);
      break;
    case v1::TARGET_STATUS_PASSED:
      summary->set_passed(summary->passed() + 1);
      break;
    case v1::TARGET_STATUS_FAILED:
      summary->set_failed(summary->failed() + 1);
      break;
    case v1::TARGET_STATUS_NOT_FOUND:
      summary->set_not_found(summary->not_found() + 1);
      break;
    default:
      summary->set_refused(summary->refused() + 1);
      break;
  }
}

void RefuseTarget(const absl::Status& status, v1::TargetResult* result) {
  result->set_status(status.code() == absl::StatusCode::kNotFound
                         ? v1::TARGET_STATUS_NOT_FOUND
                         : v1::TARGET_STATUS_REFUSED);
  result->set_error(std::string(status.message()));
  if (std::optional<v1::ErrorDetail> detail = errors::GetErrorDetail(status)) {
    *result->mutable_error_detail() = *std::move(detail);
  }
  result->clear_warnings();
  result->clear_partner();
  result->clear_before();
}

bool StartTarget(const v1::PartnerTarget& target, v1::TargetResult* result) {
  result->set_line(target.line());
  result->set_identity(target.identity());
  if (!target.input_error().empty()) {
    result->set_status(v1::TARGET_STATUS_REFUSED);
    result->set_error(target.input_error());
    return false;
  }
  absl::StatusOr<std::string> identity = NormalizeIdentity(target.identity());
  if (!identity.ok()) {
    RefuseTarget(identity.status(), result);
    return false;
  }
  result->set_identity(*std::move(identity));
  return true;
}

PartnerTargets::PartnerTargets(store::Store* store, PartnerManager* partners,
                               std::vector<std::string> local_domains,
                               audit::AuditTrail* trail)
    : store_(store),
      partners_(partners),
      local_domains_(std::move(local_domains)),
      trail_(trail) {}

absl::Status PartnerTargets::RunWrites(const char* verb,
                                       const ReadRequest& read,
                                       const WriteReply& write,
                                       const audit::Actor& actor,
                                       const ApplyTarget& apply) {
  v1::PartnerTargetsRequest request;
  if (!read(&request)) return ClientGone();
  const v1::PartnerTargetOptions options = request.options();
  v1::TargetSummary summary;
  BatchMode mode = BatchModeOf(options.atomic(), options.what_if());
  BulkAudit bulk_audit(trail_, actor, mode, [&summary] {
    return std::vector<std::pair<std::string, uint64_t>>{
        {"updated", summary.updated()},
        {"unchanged", summary.unchanged()},
        {"removed", summary.removed()},
        {"not_found", summary.not_found()},
        {"refused", summary.refused()}};
  });
  BatchStream<v1::PartnerTargetsRequest, v1::PartnerTargetsReply> stream{
      .read = read,
      .write = write,
      .apply = [&](store::PartnerTransaction& txn,
                   const v1::PartnerTargetsRequest& message, int first,
                   v1::PartnerTargetsReply* reply) -> absl::StatusOr<int> {
        std::size_t bytes = 0;
        for (int i = first; i < message.targets_size(); ++i) {
          const v1::PartnerTarget& target = message.targets(i);
          v1::TargetResult* result = reply->add_results();
          if (StartTarget(target, result)) {
            absl::Status applied =
                apply(txn, options, target, result, bulk_audit);
            // The store's transaction is full (etcd): what it holds
            // commits, this target goes into the next one.
            if (TransactionFull(applied, i, first)) {
              reply->mutable_results()->RemoveLast();
              return i;
            }
            if (!applied.ok() && !IsRefusal(applied)) return applied;
            if (!applied.ok()) RefuseTarget(applied, result);
          }
          CountTarget(result->status(), &summary);
          if (result->status() == v1::TARGET_STATUS_REFUSED ||
              result->status() == v1::TARGET_STATUS_NOT_FOUND) {
            bulk_audit.Refused();
          }
          bytes += result->ByteSizeLong();
          if (bytes >= kReplyBytes) return i + 1;
        }
        return message.targets_size();
      },
      .any_failed = [&] { return AnyFailed(summary); }};
  bulk_audit.Attach(stream);
  bool committed = false;
  absl::Status status = RunBatches(*store_, mode, request, stream, &committed);
  bulk_audit.Finish();
  summary.set_committed(committed);
  runtime::LogInfo(
      verb,
      absl::StrCat(Counts(summary), " committed=", committed ? "true" : "false",
                   " ", audit::CallerForLog(audit::ToAuditCaller(actor.caller)),
                   status.ok() ? "" : " error=", status.message()));
  if (!status.ok()) return status;
  return SendSummary(summary, write);
}

absl::Status PartnerTargets::Set(const ReadRequest& read,
                                 const WriteReply& write,
                                 const audit::Actor& actor) {
  return RunWrites(
      "partners.set", read, write, actor,
      [&](store::PartnerTransaction& txn,
          const v1::PartnerTargetOptions& options,
          const v1::PartnerTarget& target, v1::TargetResult* result,
          BulkAudit& audit) -> absl::Status {
        absl::StatusOr<PartnerWrite> written =
            WritePartner(txn, result->identity(),
                         target.has_fields()
                             ? MergedFields(target.fields(), options.fields())
                             : options.fields(),
                         WriteMode::kUpdate, local_domains_);
        if (!written.ok()) return written.status();
        result->set_status(StatusOf(written->outcome));
        if (written->outcome != PartnerWrite::Outcome::kUnchanged) {
          audit.Written(result->identity(), WeakensTls(*written));
        }
        for (std::string& warning : written->warnings) {
          result->add_warnings(std::move(warning));
        }
        if (options.with_partners()) {
          *result->mutable_partner() = std::move(written->partner);
          if (written->before) {
            *result->mutable_before() = *std::move(written->before);
          }
        }
        return absl::OkStatus();
      });
}

absl::Status PartnerTargets::Remove(const ReadRequest& read,
                                    const WriteReply& write,
                                    const audit::Actor& actor) {
  return RunWrites(
      "partners.removed", read, write, actor,
      [](store::PartnerTransaction& txn,
         const v1::PartnerTargetOptions& options, const v1::PartnerTarget&,
         v1::TargetResult* result, BulkAudit& audit) -> absl::Status {
        absl::StatusOr<v1::Partner> removed =
            RemovePartner(txn, result->identity());
        if (!removed.ok()) return removed.status();
        result->set_status(v1::TARGET_STATUS_REMOVED);
        audit.Written(result->identity(), /*weakened=*/false);
        if (options.with_partners()) {
          *result->mutable_partner() = *std::move(removed);
        }
        return absl::OkStatus();
      });
}

absl::Status PartnerTargets::Get(const ReadRequest& read,
                                 const WriteReply& write, const audit::Actor&) {
  v1::TargetSummary summary;
  v1::PartnerTargetsRequest request;
  do {
    if (!read(&request)) return ClientGone();
    v1::PartnerTargetsReply reply;
    std::size_t bytes = 0;
    for (const v1::PartnerTarget& target : request.targets()) {
      if (bytes >= kReplyBytes) {
        if (!write(reply)) return ClientGone();
        reply.Clear();
        bytes = 0;
      }
      v1::TargetResult* result = reply.add_results();
      if (StartTarget(target, result)) {
        v1::GetPartnersRequest one;
        one.set_identity(result->identity());
        absl::Status found = partners_->Get(one, [&](const v1::Partner& p) {
          *result->mutable_partner() = p;
          return true;
        });
        if (!found.ok() && !IsRefusal(found)) return found;
        if (found.ok()) {
          result->set_status(v1::TARGET_STATUS_FOUND);
        } else {
          RefuseTarget(found, result);
        }
      }
      CountTarget(result->status(), &summary);
      bytes += result->ByteSizeLong();
    }
    if (reply.results_size() > 0 && !write(reply)) return ClientGone();
  } while (!request.last());
  return SendSummary(summary, write);
}

}  // namespace xmppfed::service
