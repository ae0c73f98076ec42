// What test-partner and test-partner - share: the bounds of a check's time
// limit, the partner a checked domain belongs to, and a finished check as a
// pipeline target's result.
#ifndef XMPPFED_AGENT_RPC_PARTNER_CHECK_H_
#define XMPPFED_AGENT_RPC_PARTNER_CHECK_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agent/store/store.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::rpc {

// The steps of a check, in the order they are reported.
inline constexpr const char* kTestSteps[] = {"dns",      "connect", "stream",
                                             "starttls", "auth",    "ping"};

// The edge reports a check's last step within its time limit; this is its
// slack before the API gives up on it.
inline constexpr absl::Duration kReportSlack = absl::Seconds(5);

inline constexpr char kEdgeOff[] =
    "the federation edge is off (--s2s-listen off)";

// A check's time limit: `seconds`, 0 meaning 20; INVALID_ARGUMENT (field
// timeoutSeconds) above 300.
absl::StatusOr<absl::Duration> CheckTimeout(uint32_t seconds);

// The partner owning `domain` (normalised) as its identity or an additional
// domain; NOT_FOUND (field identity) when no partner has it.
absl::StatusOr<v1::Partner> PartnerOwning(store::Store& store,
                                          const std::string& domain);

// The result of a check whose steps all came in: PASSED, or FAILED with
// "STEP failed: DIAGNOSIS" for the first failed step.
void FinishCheck(const std::vector<v1::TestPartnerStep>& steps,
                 v1::TargetResult* result);

}  // namespace xmppfed::rpc

#endif  // XMPPFED_AGENT_RPC_PARTNER_CHECK_H_
