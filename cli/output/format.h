// The output formats of `-o/--output` (SPEC §5).
#ifndef XMPPFED_CLI_OUTPUT_FORMAT_H_
#define XMPPFED_CLI_OUTPUT_FORMAT_H_

#include <array>
#include <optional>
#include <string_view>

namespace xmppfed::cli {

enum class OutputFormat { kTable, kJson, kNdjson, kCsv };

// The names accepted by -o, in the order shown in help and errors.
inline constexpr std::array<std::string_view, 4> kOutputFormatNames = {
    "table", "json", "ndjson", "csv"};

// Exact, lower-case names only; nullopt otherwise.
std::optional<OutputFormat> ParseOutputFormat(std::string_view name);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_OUTPUT_FORMAT_H_
