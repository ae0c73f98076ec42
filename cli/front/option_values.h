// Value types of the CLI's options, as CLI11 transforms: each checks one
// argument, rewrites it to its canonical spelling and, when it does not fit,
// explains what is accepted (a usage error, exit 2). These check form only
// (one of a fixed set, a number); content rules such as domain syntax are
// the agent's alone.
#ifndef XMPPFED_CLI_FRONT_OPTION_VALUES_H_
#define XMPPFED_CLI_FRONT_OPTION_VALUES_H_

#include <CLI/CLI.hpp>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace xmppfed::cli {

// One of `names`, any case; rewritten to the spelling in `names`.
CLI::Validator OneOf(std::span<const std::string_view> names);

// "A|B|C": the type name shown in help for a OneOf option.
std::string Alternatives(std::span<const std::string_view> names);

// "true" or "false", any case; rewritten to lower case.
CLI::Validator TrueOrFalse();

// A decimal number min..max (no sign, no spaces).
CLI::Validator Uint32Value(
    std::uint32_t max = std::numeric_limits<std::uint32_t>::max());
CLI::Validator Uint32Value(std::uint32_t min, std::uint32_t max);

// Text that is valid UTF-8: protobuf carries nothing else, and the agent's
// rules are about characters. The error names the first byte that is not
// and its position ("byte 0xFF at position 2").
CLI::Validator Utf8Text();

// A list option's argument: domains separated by commas, none of them empty
// ("a,,b", "a," and "," are refused; "" alone is the empty list).
CLI::Validator DomainListText();

// Not the empty string: `what` says what is missing ("IDENTITY is empty;
// omit it to list every partner").
CLI::Validator NonEmpty(std::string what);

// Canonical values back to C++ (only after the transforms above ran).
bool ToBool(std::string_view canonical);
std::uint32_t ToUint32(std::string_view canonical);

// "a,b" "c" -> {"a", "b", "c"}: every occurrence of a list option, split on
// commas, blanks around items trimmed (DomainListText has refused empty
// items, so only an empty argument, "the empty list", adds none).
std::vector<std::string> SplitLists(const std::vector<std::string>& values);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_FRONT_OPTION_VALUES_H_
