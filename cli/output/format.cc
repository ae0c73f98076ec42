#include "cli/output/format.h"

#include <cstddef>

namespace xmppfed::cli {

std::optional<OutputFormat> ParseOutputFormat(std::string_view name) {
  for (std::size_t i = 0; i < kOutputFormatNames.size(); ++i) {
    if (kOutputFormatNames[i] == name) return static_cast<OutputFormat>(i);
  }
  return std::nullopt;
}

}  // namespace xmppfed::cli
