// The management API's view of the edge's live streams: get-session and
// remove-session (agent/rpc/session_api.h) read and close them through it.
#ifndef XMPPFED_AGENT_EDGE_SESSION_SOURCE_H_
#define XMPPFED_AGENT_EDGE_SESSION_SOURCE_H_

#include "agent/edge/core/edge.h"
#include "agent/rpc/session_api.h"

namespace xmppfed {

class EdgeSessionSource : public rpc::SessionSource {
 public:
  explicit EdgeSessionSource(edge::Edge* edge) : edge_(edge) {}

  std::vector<v1::Session> List(const std::string& partner) override;
  std::vector<v1::Session> Close(const std::vector<uint64_t>& ids,
                                 const std::string& partner) override;
  std::vector<v1::PartnerFederationStatus> FederationStatus() override;
  std::vector<v1::PartnerFederationStatus> FederationStatusOf(
      const std::vector<std::string>& partners) override;

 private:
  edge::Edge* edge_;
};

}  // namespace xmppfed

#endif  // XMPPFED_AGENT_EDGE_SESSION_SOURCE_H_
