// get-partner's Federation column for people: a partner's federation status
// (SPEC §7) in a few words.
#ifndef XMPPFED_CLI_RPC_FEDERATION_SUMMARY_H_
#define XMPPFED_CLI_RPC_FEDERATION_SUMMARY_H_

#include <cstdint>
#include <string>

#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::cli {

// "failing ×3: auth" while the last attempt failed (×N consecutive
// failures, then the failed step); else "ok 2m ago" after the later
// success of either direction (s, m, h or d, rounded down); else "—"
// (never seen since the agent started). `now_seconds`: Unix time.
std::string FederationSummary(const v1::PartnerFederationStatus& status,
                              std::int64_t now_seconds);

// "45s ago", "2m ago", "5h ago", "3d ago": how long before `now_seconds`
// `seconds` was (a time in the future reads "0s ago").
std::string Ago(std::int64_t seconds, std::int64_t now_seconds);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_RPC_FEDERATION_SUMMARY_H_
