// absl::Status → grpc::Status at the API boundary, in one table: the code
// maps one to one, the message passes unchanged, and the structured
// ErrorDetail (field, value, rule, owner) travels in error_details.
#ifndef XMPPFED_AGENT_RPC_STATUS_CONVERSION_H_
#define XMPPFED_AGENT_RPC_STATUS_CONVERSION_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace xmppfed::rpc {

grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace xmppfed::rpc

#endif  // XMPPFED_AGENT_RPC_STATUS_CONVERSION_H_
