// Value types of the CLI's options, as CLI11 transforms: each checks one
// argument, rewrites it to its canonical spelling and, when it does not fit,
// explains what is accepted (a usage error, exit 2). These check form only
// (one of a fixed set, a number); content rules such as domain syntax are
// the agent's alone.
#ifndef XMPPFED_CLI_FRONT_OPTION_VALUES_H_
#define XMPPFED_CLI_FRONT_OPTION_VALUES_H_

#include <CLI/CLI.hpp>
#include <cstdint>
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

// A decimal number 0..4294967295 (no sign, no spaces).
CLI::Validator Uint32Value();

// Canonical values back to C++ (only after the transforms above ran).
bool ToBool(std::string_view canonical);
std::uint32_t ToUint32(std::string_view canonical);

// "a,b" "c" -> {"a", "b", "c"}: every occurrence of a list option, split on
// commas, blanks around items trimmed, empty items dropped (so an empty
// argument means "the empty list").
std::vector<std::string> SplitLists(const std::vector<std::string>& values);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_FRONT_OPTION_VALUES_H_
