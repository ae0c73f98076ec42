// xmppfed.v1.GatewayService over the GatewayManager.
#ifndef XMPPFED_AGENT_RPC_GATEWAY_API_H_
#define XMPPFED_AGENT_RPC_GATEWAY_API_H_

#include "agent/rpc/call_gate.h"
#include "agent/service/gateway_manager.h"
#include "xmppfed/v1/xmppfed.grpc.pb.h"

namespace xmppfed::rpc {

class GatewayApi final : public v1::GatewayService::Service {
 public:
  GatewayApi(service::GatewayManager* gateway, const CallGate* gate)
      : gateway_(gateway), gate_(gate) {}

  grpc::Status GetGatewayConfig(grpc::ServerContext* context,
                                const v1::GetGatewayConfigRequest* request,
                                v1::GatewayConfig* reply) override;
  grpc::Status SetGatewayConfig(grpc::ServerContext* context,
                                const v1::SetGatewayConfigRequest* request,
                                v1::GatewayConfigChange* reply) override;

 private:
  service::GatewayManager* gateway_;
  const CallGate* gate_;
};

}  // namespace xmppfed::rpc

#endif  // XMPPFED_AGENT_RPC_GATEWAY_API_H_
