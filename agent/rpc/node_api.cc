#include "agent/rpc/node_api.h"

#include <vector>

#include "agent/rpc/status_conversion.h"

namespace xmppfed::rpc {

grpc::Status NodeApi::GetNodes(grpc::ServerContext* context,
                               const v1::GetNodesRequest*,
                               v1::GetNodesReply* reply) {
  absl::StatusOr<audit::Actor> caller =
      gate_->Admit(context, "xmppfed.v1.NodeService.GetNodes");
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<std::vector<v1::Node>> nodes = store_->ListNodes();
  if (!nodes.ok()) return ToGrpcStatus(nodes.status());
  for (v1::Node& node : *nodes) *reply->add_nodes() = std::move(node);
  return grpc::Status::OK;
}

}  // namespace xmppfed::rpc
