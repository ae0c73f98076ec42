// Whether the process's descriptor limit covers what the gateway settings let
// the edge hold at once (issue 11: LimitNOFILE and the budgets agree). The
// agent checks at start and whenever the limits change, and logs a warning
// naming the numbers when they do not agree; it runs anyway (the edge's
// descriptor reserve keeps the API and the store alive, net/descriptors.h).
#ifndef XMPPFED_AGENT_EDGE_CORE_DESCRIPTOR_BUDGET_H_
#define XMPPFED_AGENT_EDGE_CORE_DESCRIPTOR_BUDGET_H_

#include <cstdint>
#include <string>

#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::edge {

// Descriptors the rest of the agent holds besides the edge's streams and
// reserve: listeners, the store, the API's server, log and DNS sockets.
inline constexpr uint64_t kAgentBaseDescriptors = 64;

// "" when `limit` (0: unlimited) covers connectionLimit +
// componentConnectionLimit + `verifications` dialback verification
// connections + the reserve + kAgentBaseDescriptors; otherwise the warning's
// text, e.g. "connectionLimit 1000 + componentConnectionLimit 100 + 256
// dialback verifications + 64 reserved + 64 for the agent need 1484 file
// descriptors, but the limit is 1024: raise LimitNOFILE (or ulimit -n) or
// lower connectionLimit".
std::string DescriptorBudgetShortfall(const v1::GatewayConfig& gateway,
                                      uint64_t verifications, uint64_t limit);

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_CORE_DESCRIPTOR_BUDGET_H_
