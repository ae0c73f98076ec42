#include "cli/rpc/time_arguments.h"

#include <cctype>
#include <cstdint>

namespace xmppfed::cli {
namespace {

std::optional<absl::Duration> UnitDuration(char unit) {
  switch (unit) {
    case 's':
      return absl::Seconds(1);
    case 'm':
      return absl::Minutes(1);
    case 'h':
      return absl::Hours(1);
    case 'd':
      return absl::Hours(24);
    case 'w':
      return absl::Hours(24 * 7);
    default:
      return std::nullopt;
  }
}

// "1d12h": digits then a unit, repeated; nothing else.
std::optional<absl::Duration> ParseDuration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  absl::Duration total;
  size_t i = 0;
  while (i < text.size()) {
    int64_t number = 0;
    size_t digits = 0;
    while (i < text.size() &&
           std::isdigit(static_cast<unsigned char>(text[i]))) {
      if (number > 1'000'000'000) return std::nullopt;
      number = number * 10 + (text[i] - '0');
      ++i;
      ++digits;
    }
    if (digits == 0 || i == text.size()) return std::nullopt;
    std::optional<absl::Duration> unit = UnitDuration(text[i++]);
    if (!unit) return std::nullopt;
    total += *unit * number;
  }
  return total;
}

}  // namespace

std::optional<absl::Time> ParseTimeArgument(std::string_view text,
                                            absl::Time now) {
  if (std::optional<absl::Duration> back = ParseDuration(text)) {
    return now - *back;
  }
  absl::string_view input(text.data(), text.size());
  absl::Time time;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, input, &time, &error)) return time;
  if (absl::ParseTime("%Y-%m-%d", input, absl::UTCTimeZone(), &time, &error)) {
    return time;
  }
  return std::nullopt;
}

}  // namespace xmppfed::cli
