#include "agent/edge_partner_tester.h"

#include <memory>
#include <utility>

namespace xmppfed {

void EdgePartnerTester::Test(
    const v1::Partner& partner, const std::string& domain,
    absl::Duration timeout,
    std::function<void(const v1::TestPartnerStep&)> on_step) {
  edge_->TestPartner(
      std::make_shared<const snapshot::PartnerPolicy>(partner), domain, timeout,
      [on_step = std::move(on_step)](const edge::ProbeStep& step) {
        v1::TestPartnerStep reply;
        reply.set_step(step.step);
        reply.set_result(step.result);
        reply.set_elapsed_ms(step.elapsed_ms);
        reply.set_detail(step.detail);
        reply.set_diagnosis(step.diagnosis);
        on_step(reply);
      });
}

}  // namespace xmppfed
