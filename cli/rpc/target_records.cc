#include "cli/rpc/target_records.h"

#include "cli/exit_codes.h"
#include "cli/rpc/bulk_results.h"
#include "cli/rpc/import_records.h"

namespace xmppfed::cli {

std::uint64_t TargetCount(const v1::TargetSummary& summary,
                          v1::TargetStatus status) {
  switch (status) {
    case v1::TARGET_STATUS_UPDATED:
      return summary.updated();
    case v1::TARGET_STATUS_UNCHANGED:
      return summary.unchanged();
    case v1::TARGET_STATUS_REMOVED:
      return summary.removed();
    case v1::TARGET_STATUS_FOUND:
      return summary.found();
    case v1::TARGET_STATUS_PASSED:
      return summary.passed();
    case v1::TARGET_STATUS_FAILED:
      return summary.failed();
    case v1::TARGET_STATUS_NOT_FOUND:
      return summary.not_found();
    default:
      return summary.refused();
  }
}

v1::PartnerTarget ToPartnerTarget(const InputTarget& target, bool from_input) {
  v1::PartnerTarget out;
  out.set_line(target.line);
  out.set_identity(target.identity);
  if (!target.error.empty()) {
    out.set_input_error(target.error);
    return out;
  }
  if (from_input && target.object.kind == JsonValue::Kind::kObject) {
    InputRecord record;
    record.line = target.line;
    record.object = target.object;
    v1::ImportRecord converted = ToImportRecord(record);
    if (!converted.input_error().empty()) {
      out.set_input_error(converted.input_error());
    } else {
      *out.mutable_fields() = converted.fields();
    }
  }
  return out;
}

std::string_view TargetStatusName(v1::TargetStatus status) {
  switch (status) {
    case v1::TARGET_STATUS_UPDATED:
      return "updated";
    case v1::TARGET_STATUS_UNCHANGED:
      return "unchanged";
    case v1::TARGET_STATUS_REMOVED:
      return "removed";
    case v1::TARGET_STATUS_FOUND:
      return "found";
    case v1::TARGET_STATUS_PASSED:
      return "passed";
    case v1::TARGET_STATUS_FAILED:
      return "failed";
    case v1::TARGET_STATUS_NOT_FOUND:
      return "notFound";
    default:
      return "refused";
  }
}

Record TargetResultRecord(const v1::TargetResult& result) {
  return BulkResultRecord(result.line(), result.identity(),
                          TargetStatusName(result.status()), result.error());
}

std::string TargetCounts(const v1::TargetSummary& summary,
                         std::span<const v1::TargetStatus> statuses) {
  std::string text;
  for (v1::TargetStatus status : statuses) {
    if (!text.empty()) text += ", ";
    text += std::to_string(TargetCount(summary, status)) + " " +
            (status == v1::TARGET_STATUS_NOT_FOUND
                 ? std::string("not found")
                 : std::string(TargetStatusName(status)));
  }
  return text;
}

bool AnyTargetFailed(const v1::TargetSummary& summary) {
  return summary.refused() + summary.failed() + summary.not_found() > 0;
}

int TargetsExitCode(const v1::TargetSummary& summary) {
  if (summary.refused() + summary.failed() > 0) return kExitPartial;
  if (summary.not_found() > 0) return kExitNotFound;
  return kExitOk;
}

}  // namespace xmppfed::cli
