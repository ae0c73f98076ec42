#include "agent/rpc/gateway_api.h"

#include "agent/rpc/status_conversion.h"

namespace xmppfed::rpc {

grpc::Status GatewayApi::GetGatewayConfig(grpc::ServerContext* context,
                                          const v1::GetGatewayConfigRequest*,
                                          v1::GatewayConfig* reply) {
  absl::StatusOr<access::Caller> caller =
      gate_->Admit(context, "xmppfed.v1.GatewayService.GetGatewayConfig");
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<v1::GatewayConfig> config = gateway_->Get();
  if (!config.ok()) return ToGrpcStatus(config.status());
  *reply = *std::move(config);
  return grpc::Status::OK;
}

grpc::Status GatewayApi::SetGatewayConfig(
    grpc::ServerContext* context, const v1::SetGatewayConfigRequest* request,
    v1::GatewayConfigChange* reply) {
  absl::StatusOr<access::Caller> caller =
      gate_->Admit(context, "xmppfed.v1.GatewayService.SetGatewayConfig");
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<v1::GatewayConfigChange> change = gateway_->Set(*request);
  if (!change.ok()) return ToGrpcStatus(change.status());
  *reply = *std::move(change);
  return grpc::Status::OK;
}

}  // namespace xmppfed::rpc
