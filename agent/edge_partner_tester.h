// The management API's view of the edge's test-partner check:
// agent/rpc/partner_check_api.h asks, agent/edge/probe answers.
#ifndef XMPPFED_AGENT_EDGE_PARTNER_TESTER_H_
#define XMPPFED_AGENT_EDGE_PARTNER_TESTER_H_

#include "agent/edge/core/edge.h"
#include "agent/rpc/partner_check_api.h"

namespace xmppfed {

class EdgePartnerTester : public rpc::PartnerTester {
 public:
  explicit EdgePartnerTester(edge::Edge* edge) : edge_(edge) {}

  void Test(const v1::Partner& partner, const std::string& domain,
            absl::Duration timeout,
            std::function<void(const v1::TestPartnerStep&)> on_step) override;

 private:
  edge::Edge* edge_;
};

}  // namespace xmppfed

#endif  // XMPPFED_AGENT_EDGE_PARTNER_TESTER_H_
