// The output formats of `-o/--output` (SPEC §5).
#ifndef XMPPFED_CLI_OUTPUT_FORMAT_H_
#define XMPPFED_CLI_OUTPUT_FORMAT_H_

#include <array>
#include <optional>
#include <string_view>

namespace xmppfed::cli {

// kWide: a table with every column, never cut to the terminal's width.
enum class OutputFormat { kTable, kJson, kNdjson, kCsv, kWide };

// The names accepted by -o, in the order shown in help and errors.
inline constexpr std::array<std::string_view, 5> kOutputFormatNames = {
    "table", "json", "ndjson", "csv", "wide"};

// Table and wide: text for people rather than data for programs.
inline bool IsForPeople(OutputFormat format) {
  return format == OutputFormat::kTable || format == OutputFormat::kWide;
}

// Exact, lower-case names only; nullopt otherwise.
std::optional<OutputFormat> ParseOutputFormat(std::string_view name);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_OUTPUT_FORMAT_H_
