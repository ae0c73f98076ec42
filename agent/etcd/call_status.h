// How the etcd client reads gRPC statuses: which failures are worth trying
// on another member, which mean a stale token, and how each becomes an
// absl::Status for the store.
#ifndef XMPPFED_AGENT_ETCD_CALL_STATUS_H_
#define XMPPFED_AGENT_ETCD_CALL_STATUS_H_

#include <grpcpp/grpcpp.h>

#include <string>

#include "absl/status/status.h"

namespace xmppfed::etcd {

// The member is down, has no leader, lost it during the call, is
// overloaded ("too many requests") or did not answer in time.
bool IsRetryable(const grpc::Status& status);

// etcd no longer knows the token (simple tokens expire when idle).
bool IsExpiredToken(const grpc::Status& status);

// The same code and text.
absl::Status FromGrpc(const grpc::Status& status);
grpc::Status ToGrpc(const absl::Status& status);

// "unavailable: connection refused"-like text for messages.
std::string DescribeFailure(const grpc::Status& status);

}  // namespace xmppfed::etcd

#endif  // XMPPFED_AGENT_ETCD_CALL_STATUS_H_
