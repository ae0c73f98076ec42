// Times given on the command line (get-audit-log --since/--until): a moment
// (2026-05-01, 2026-05-01T08:00:00Z, RFC 3339 with an offset or fractions)
// or a duration back from now (30m, 12h, 7d, 2w, 1d12h; units s m h d w).
#ifndef XMPPFED_CLI_RPC_TIME_ARGUMENTS_H_
#define XMPPFED_CLI_RPC_TIME_ARGUMENTS_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"

namespace xmppfed::cli {

// The moment `text` names, durations counted back from `now`; nullopt when
// it is neither form. A date alone is its midnight, UTC.
std::optional<absl::Time> ParseTimeArgument(std::string_view text,
                                            absl::Time now);

// What a usage error says after "--since=VALUE: ".
inline constexpr char kTimeArgumentForms[] =
    "not a time (2026-05-01, 2026-05-01T08:00:00Z) nor a duration back from "
    "now (30m, 12h, 7d, 2w)";

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_RPC_TIME_ARGUMENTS_H_
