// xmppfed.v1.AgentService: what `xmppfed get-agent` shows.
#ifndef XMPPFED_AGENT_RPC_AGENT_API_H_
#define XMPPFED_AGENT_RPC_AGENT_API_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "agent/rpc/call_gate.h"
#include "agent/store/store.h"
#include "xmppfed/v1/xmppfed.grpc.pb.h"

namespace xmppfed::rpc {

// Facts fixed at start-up.
struct AgentFacts {
  std::string version;
  absl::Time started_at;
  std::vector<std::string> local_domains;
  std::vector<v1::Listener> listeners;
};

class AgentApi final : public v1::AgentService::Service {
 public:
  AgentApi(AgentFacts facts, store::Store* store, const CallGate* gate)
      : facts_(std::move(facts)), store_(store), gate_(gate) {}

  grpc::Status GetAgent(grpc::ServerContext* context,
                        const v1::GetAgentRequest* request,
                        v1::AgentInfo* reply) override;

 private:
  AgentFacts facts_;
  store::Store* store_;
  const CallGate* gate_;
};

}  // namespace xmppfed::rpc

#endif  // XMPPFED_AGENT_RPC_AGENT_API_H_
