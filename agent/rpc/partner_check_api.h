// xmppfed.v1.PartnerCheckService: `xmppfed test-partner`, a live check of
// federation with one partner, step by step (see TestPartnerRequest in
// proto/xmppfed/v1/xmppfed.proto).
//
// The API sees the edge only through PartnerTester, so it builds and is
// tested without the edge; the agent adapts its edge::Edge to it.
#ifndef XMPPFED_AGENT_RPC_PARTNER_CHECK_API_H_
#define XMPPFED_AGENT_RPC_PARTNER_CHECK_API_H_

#include <functional>
#include <string>

#include "absl/time/time.h"
#include "agent/rpc/call_gate.h"
#include "agent/rpc/partner_check.h"
#include "agent/store/store.h"
#include "xmppfed/v1/xmppfed.grpc.pb.h"

namespace xmppfed::rpc {

class PartnerTester {
 public:
  virtual ~PartnerTester() = default;
  // Checks federation with `domain` (a domain of `partner`) and calls
  // `on_step` once for each of kTestSteps, in order, from any thread; the
  // last call comes within `timeout` (plus a little bookkeeping). Thread-safe.
  virtual void Test(
      const v1::Partner& partner, const std::string& domain,
      absl::Duration timeout,
      std::function<void(const v1::TestPartnerStep&)> on_step) = 0;
};

class PartnerCheckApi final : public v1::PartnerCheckService::Service {
 public:
  // `tester` is null while the federation edge is off. Both must outlive the
  // API.
  PartnerCheckApi(PartnerTester* tester, store::Store* store,
                  const CallGate* gate)
      : tester_(tester), store_(store), gate_(gate) {}

  grpc::Status TestPartner(
      grpc::ServerContext* context, const v1::TestPartnerRequest* request,
      grpc::ServerWriter<v1::TestPartnerStep>* writer) override;
  // See partner_check_targets.h.
  grpc::Status TestPartnerTargets(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<v1::PartnerTargetsReply,
                               v1::PartnerTargetsRequest>* stream) override;

 private:
  PartnerTester* tester_;
  store::Store* store_;
  const CallGate* gate_;
};

}  // namespace xmppfed::rpc

#endif  // XMPPFED_AGENT_RPC_PARTNER_CHECK_API_H_
