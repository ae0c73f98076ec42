// get-audit-log: one AuditService stream, entries newest first, written as
// they arrive.
#include "absl/time/clock.h"
#include "cli/exit_codes.h"
#include "cli/rpc/audit_records.h"
#include "cli/rpc/time_arguments.h"
#include "cli/rpc/verb_table.h"
#include "google/protobuf/util/time_util.h"
#include "xmppfed/v1/spelling.h"

namespace xmppfed::cli {

int RunGetAuditLog(VerbContext& context) {
  const AuditLogOptions& options = context.invocation().audit_log;
  v1::GetAuditLogRequest request;
  absl::Time now = absl::Now();
  struct TimeOption {
    const char* name;
    const std::string& text;
    google::protobuf::Timestamp* out;
  };
  for (const TimeOption& option :
       {TimeOption{"--since", options.since, request.mutable_since()},
        TimeOption{"--until", options.until, request.mutable_until()}}) {
    if (option.text.empty()) continue;
    std::optional<absl::Time> time = ParseTimeArgument(option.text, now);
    if (!time) {
      return context.UsageError(std::string(option.name) + "=" + option.text +
                                ": " + kTimeArgumentForms);
    }
    *option.out = google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
        absl::ToUnixMicros(*time));
  }
  if (options.since.empty()) request.clear_since();
  if (options.until.empty()) request.clear_until();
  request.set_identity(options.identity);
  request.set_caller(options.caller);
  request.set_verb(options.verb);
  if (std::optional<v1::AuditResult> result =
          v1::ParseAuditResult(options.result)) {
    request.set_result(*result);
  }

  grpc::ClientContext call;
  context.PrepareStream(call);
  std::unique_ptr<grpc::ClientReader<v1::AuditPage>> reader =
      context.audit().GetAuditLog(&call, request);
  OutputFormat format = context.global().output;
  bool nested =
      format == OutputFormat::kJson || format == OutputFormat::kNdjson;
  std::unique_ptr<RecordWriter> writer = context.ListWriter(AuditListLayout());
  v1::AuditPage page;
  while (reader->Read(&page)) {
    for (const v1::AuditEntry& entry : page.entries()) {
      writer->Write(nested ? AuditRecord(entry) : AuditRow(entry));
    }
  }
  grpc::Status status = reader->Finish();
  if (!status.ok()) return context.Fail(status, "");
  writer->Finish();
  return kExitOk;
}

}  // namespace xmppfed::cli
