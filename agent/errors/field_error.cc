#include "agent/errors/field_error.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/types/optional.h"

namespace xmppfed::errors {

absl::Status FieldError(absl::StatusCode code, std::string_view field,
                        std::string_view value, std::string_view rule,
                        std::string_view message, std::string_view owner) {
  absl::Status status(code, std::string(message));
  v1::ErrorDetail detail;
  detail.set_field(std::string(field));
  detail.set_value(std::string(value));
  detail.set_rule(std::string(rule));
  detail.set_owner(std::string(owner));
  status.SetPayload(std::string(kErrorDetailUrl),
                    absl::Cord(detail.SerializeAsString()));
  return status;
}

absl::Status InvalidField(std::string_view field, std::string_view value,
                          std::string_view rule) {
  return FieldError(absl::StatusCode::kInvalidArgument, field, value, rule,
                    absl::StrCat(std::string(field), "=", QuoteValue(value),
                                 ": ", std::string(rule)));
}

std::string QuoteValue(std::string_view value) {
  constexpr std::size_t kShown = 64;
  std::string shown(value.substr(0, kShown));
  if (value.size() > kShown) absl::StrAppend(&shown, "...");
  bool needs_quotes =
      value.empty() || shown.find_first_of(" \t\"") != std::string::npos;
  for (char& c : shown) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return needs_quotes ? absl::StrCat("\"", shown, "\"") : shown;
}

std::optional<v1::ErrorDetail> GetErrorDetail(const absl::Status& status) {
  absl::optional<absl::Cord> payload =
      status.GetPayload(std::string(kErrorDetailUrl));
  if (!payload) return std::nullopt;
  v1::ErrorDetail detail;
  if (!detail.ParseFromString(std::string(*payload))) return std::nullopt;
  return detail;
}

}  // namespace xmppfed::errors
