#include "agent/rpc/audit_api.h"

#include "absl/strings/ascii.h"
#include "agent/errors/field_error.h"
#include "agent/policy/domain.h"
#include "agent/rpc/status_conversion.h"
#include "google/protobuf/util/time_util.h"

namespace xmppfed::rpc {
namespace {

using google::protobuf::util::TimeUtil;

// As PartnerApi's pages: per-message costs vanish, memory stays bounded.
constexpr size_t kPageBytes = 64 * 1024;

absl::Time ToTime(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(timestamp));
}

absl::StatusOr<store::AuditFilter> FilterOf(
    const v1::GetAuditLogRequest& request) {
  store::AuditFilter filter;
  if (request.has_since()) filter.since = ToTime(request.since());
  if (request.has_until()) filter.until = ToTime(request.until());
  if (filter.since && filter.until && *filter.since > *filter.until) {
    return errors::InvalidField("since", TimeUtil::ToString(request.since()),
                                "must not be after until (" +
                                    TimeUtil::ToString(request.until()) + ")");
  }
  if (!request.identity().empty()) {
    absl::StatusOr<std::string> domain =
        policy::NormalizeDomain("identity", request.identity());
    filter.identity = domain.ok() ? *domain : request.identity();
  }
  filter.caller = request.caller();
  filter.verb = absl::AsciiStrToLower(request.verb());
  filter.result = request.result();
  return filter;
}

}  // namespace

grpc::Status AuditApi::GetAuditLog(grpc::ServerContext* context,
                                   const v1::GetAuditLogRequest* request,
                                   grpc::ServerWriter<v1::AuditPage>* writer) {
  absl::StatusOr<audit::Actor> actor =
      gate_->Admit(context, "xmppfed.v1.AuditService.GetAuditLog");
  if (!actor.ok()) return ToGrpcStatus(actor.status());
  absl::StatusOr<store::AuditFilter> filter = FilterOf(*request);
  if (!filter.ok()) return ToGrpcStatus(filter.status());
  v1::AuditPage page;
  size_t page_bytes = 0;
  absl::Status status =
      store_->ForEachAuditEntry(*filter, [&](const v1::AuditEntry& entry) {
        page_bytes += entry.ByteSizeLong();
        *page.add_entries() = entry;
        if (page_bytes < kPageBytes) return true;
        bool sent = !context->IsCancelled() && writer->Write(page);
        page.Clear();
        page_bytes = 0;
        return sent;
      });
  if (status.ok() && page.entries_size() > 0 && !writer->Write(page)) {
    return grpc::Status(grpc::StatusCode::CANCELLED, "the client went away");
  }
  return ToGrpcStatus(status);
}

}  // namespace xmppfed::rpc
