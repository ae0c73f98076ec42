// Pipeline input (SPEC §7) in the CLI's terms: a target as read from stdin
// turned into a request's PartnerTarget, a TargetResult as an output record
// and a status name, and the summary as text and an exit code.
#ifndef XMPPFED_CLI_RPC_TARGET_RECORDS_H_
#define XMPPFED_CLI_RPC_TARGET_RECORDS_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "cli/input/target_reader.h"
#include "cli/output/record.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::cli {

// The target as sent. With `from_input`, an NDJSON object's keys become its
// fields under import-partners' rules (a value of the wrong type or an
// unknown key is its input error); otherwise only its identity counts.
v1::PartnerTarget ToPartnerTarget(const InputTarget& target, bool from_input);

// "updated", "unchanged", "removed", "found", "passed", "failed",
// "notFound", "refused".
std::string_view TargetStatusName(v1::TargetStatus status);

// {"line", "identity", "status", "error"}.
Record TargetResultRecord(const v1::TargetResult& result);

// How many targets of `summary` had `status`.
std::uint64_t TargetCount(const v1::TargetSummary& summary,
                          v1::TargetStatus status);

// How many of `summary` had each of `statuses`: "3 updated, 1 not found".
std::string TargetCounts(const v1::TargetSummary& summary,
                         std::span<const v1::TargetStatus> statuses);

// Targets that failed (refused, a failed check) or were not found.
bool AnyTargetFailed(const v1::TargetSummary& summary);

// SPEC §5/§7: 4 when a target was refused or its check failed, else 3 when
// a target was not found, else 0.
int TargetsExitCode(const v1::TargetSummary& summary);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_RPC_TARGET_RECORDS_H_
