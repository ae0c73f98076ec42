// xmppfed.v1.NodeService: the agents sharing the store (`xmppfed
// get-node`, SPEC §7), as their node records say.
#ifndef XMPPFED_AGENT_RPC_NODE_API_H_
#define XMPPFED_AGENT_RPC_NODE_API_H_

#include "agent/rpc/call_gate.h"
#include "agent/store/store.h"
#include "xmppfed/v1/xmppfed.grpc.pb.h"

namespace xmppfed::rpc {

class NodeApi final : public v1::NodeService::Service {
 public:
  // Both must outlive the API.
  NodeApi(store::Store* store, const CallGate* gate)
      : store_(store), gate_(gate) {}

  grpc::Status GetNodes(grpc::ServerContext* context,
                        const v1::GetNodesRequest* request,
                        v1::GetNodesReply* reply) override;

 private:
  store::Store* store_;
  const CallGate* gate_;
};

}  // namespace xmppfed::rpc

#endif  // XMPPFED_AGENT_RPC_NODE_API_H_
