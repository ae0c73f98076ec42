#include "cli/rpc/federation_summary.h"

#include <algorithm>

namespace xmppfed::cli {

std::string Ago(std::int64_t seconds, std::int64_t now_seconds) {
  std::int64_t elapsed = std::max<std::int64_t>(0, now_seconds - seconds);
  if (elapsed < 60) return std::to_string(elapsed) + "s ago";
  if (elapsed < 3600) return std::to_string(elapsed / 60) + "m ago";
  if (elapsed < 86400) return std::to_string(elapsed / 3600) + "h ago";
  return std::to_string(elapsed / 86400) + "d ago";
}

std::string FederationSummary(const v1::PartnerFederationStatus& status,
                              std::int64_t now_seconds) {
  if (status.consecutive_failures() > 0) {
    std::string text =
        "failing \u00d7" + std::to_string(status.consecutive_failures());
    if (!status.last_failure_step().empty()) {
      text += ": " + status.last_failure_step();
    }
    return text;
  }
  bool inbound = status.has_last_inbound_at();
  bool outbound = status.has_last_outbound_at();
  if (!inbound && !outbound) return "\u2014";
  std::int64_t last =
      std::max(inbound ? status.last_inbound_at().seconds() : INT64_MIN,
               outbound ? status.last_outbound_at().seconds() : INT64_MIN);
  return "ok " + Ago(last, now_seconds);
}

}  // namespace xmppfed::cli
