#include "agent/edge/core/descriptor_budget.h"

#include "absl/strings/str_cat.h"
#include "agent/edge/net/descriptors.h"

namespace xmppfed::edge {

std::string DescriptorBudgetShortfall(const v1::GatewayConfig& gateway,
                                      uint64_t verifications, uint64_t limit) {
  if (limit == 0) return "";
  uint64_t reserve = net::DescriptorReserve(limit);
  uint64_t needed = uint64_t{gateway.connection_limit()} +
                    gateway.component_connection_limit() + verifications +
                    reserve + kAgentBaseDescriptors;
  if (needed <= limit) return "";
  return absl::StrCat(
      "connectionLimit ", gateway.connection_limit(),
      " + componentConnectionLimit ", gateway.component_connection_limit(),
      " + ", verifications, " dialback verifications + ", reserve,
      " reserved + ", kAgentBaseDescriptors, " for the agent need ", needed,
      " file descriptors, but the limit is ", limit,
      ": raise LimitNOFILE (or ulimit -n) or lower connectionLimit");
}

}  // namespace xmppfed::edge
