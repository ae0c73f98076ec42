#include "agent/etcd/call_status.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace xmppfed::etcd {

bool IsRetryable(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return true;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      // etcd's back-pressure; not a message over a size limit.
      return absl::StrContains(status.error_message(), "too many requests");
    default:
      return false;
  }
}

bool IsExpiredToken(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::UNAUTHENTICATED &&
         absl::StrContains(status.error_message(), "invalid auth token");
}

absl::Status FromGrpc(const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                      status.error_message());
}

grpc::Status ToGrpc(const absl::Status& status) {
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

std::string DescribeFailure(const grpc::Status& status) {
  if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    return "no answer in time";
  }
  std::string message = status.error_message();
  if (message.empty()) return "unavailable";
  // gRPC's "failed to connect to all addresses; last error: UNKNOWN:
  // ipv4:...: Failed to connect to remote host: Connection refused".
  if (absl::StrContains(message, "Connection refused")) {
    return "connection refused";
  }
  if (absl::StrContains(message, "failed to connect")) {
    return "cannot connect";
  }
  return message;
}

}  // namespace xmppfed::etcd
