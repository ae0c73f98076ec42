// The agent's error-handling policy, in one place:
//
// * Every failure is an absl::Status; nothing throws across module lines.
// * A refusal caused by input names the field (the spec's JSON key), the
//   value and the rule, both in the message ("description=...: at most 1024
//   characters") and as a structured ErrorDetail payload that the rpc layer
//   copies into grpc::Status::error_details.
// * Codes: INVALID_ARGUMENT for a value that breaks a rule, ALREADY_EXISTS for
//   a clash with another partner (the detail names the owner), NOT_FOUND for
//   an unknown identity, FAILED_PRECONDITION for a state conflict (stale
//   revision), INTERNAL/UNAVAILABLE for the store itself.
#ifndef XMPPFED_AGENT_ERRORS_FIELD_ERROR_H_
#define XMPPFED_AGENT_ERRORS_FIELD_ERROR_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::errors {

// The payload type URL under which the ErrorDetail travels in a Status.
inline constexpr std::string_view kErrorDetailUrl =
    "type.googleapis.com/xmppfed.v1.ErrorDetail";

// A status with `message` as is and the structured detail attached.
absl::Status FieldError(absl::StatusCode code, std::string_view field,
                        std::string_view value, std::string_view rule,
                        std::string_view message, std::string_view owner = {});

// INVALID_ARGUMENT with the message "<field>=<value>: <rule>".
absl::Status InvalidField(std::string_view field, std::string_view value,
                          std::string_view rule);

// The value as it appears in messages: quoted when empty or when it holds
// spaces, shortened when long.
std::string QuoteValue(std::string_view value);

std::optional<v1::ErrorDetail> GetErrorDetail(const absl::Status& status);

}  // namespace xmppfed::errors

#endif  // XMPPFED_AGENT_ERRORS_FIELD_ERROR_H_
