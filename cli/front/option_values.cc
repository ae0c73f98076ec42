#include "cli/front/option_values.h"

#include <charconv>
#include <limits>

#include "xmppfed/v1/utf8.h"

namespace xmppfed::cli {
namespace {

char Lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

// "A, B or C" for messages.
std::string Join(std::span<const std::string_view> names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

CLI::Validator OneOf(std::span<const std::string_view> names) {
  std::string accepted = Join(names);
  return CLI::Validator(
      [names, accepted](std::string& value) -> std::string {
        for (std::string_view name : names) {
          if (EqualsIgnoreCase(name, value)) {
            value = std::string(name);
            return {};
          }
        }
        return "'" + value + "' is not accepted; use " + accepted +
               " (any case)";
      },
      "");
}

std::string Alternatives(std::span<const std::string_view> names) {
  std::string out;
  for (std::string_view name : names) {
    if (!out.empty()) out += '|';
    out += name;
  }
  return out;
}

CLI::Validator TrueOrFalse() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        if (EqualsIgnoreCase(value, "true")) {
          value = "true";
        } else if (EqualsIgnoreCase(value, "false")) {
          value = "false";
        } else {
          return "'" + value + "' is not accepted; use true or false";
        }
        return {};
      },
      "");
}

CLI::Validator Uint32Value(std::uint32_t max) { return Uint32Value(0, max); }

CLI::Validator Uint32Value(std::uint32_t min, std::uint32_t max) {
  return CLI::Validator(
      [min, max](std::string& value) -> std::string {
        std::uint32_t number = 0;
        const char* end = value.data() + value.size();
        auto [ptr, error] = std::from_chars(value.data(), end, number);
        if (value.empty() || error != std::errc() || ptr != end ||
            number < min || number > max) {
          return "'" + value + "' is not a whole number from " +
                 std::to_string(min) + " to " + std::to_string(max);
        }
        return {};
      },
      "");
}

CLI::Validator Utf8Text() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        std::size_t bad = v1::FindInvalidUtf8(value);
        if (bad == std::string::npos) return {};
        static constexpr char kHex[] = "0123456789ABCDEF";
        unsigned char byte = static_cast<unsigned char>(value[bad]);
        return std::string("not valid UTF-8 (byte 0x") + kHex[byte >> 4] +
               kHex[byte & 0xF] + " at position " + std::to_string(bad + 1) +
               "); the agent takes UTF-8 text only";
      },
      "");
}

CLI::Validator DomainListText() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        if (Trim(value).empty()) return {};  // the empty list
        std::string_view rest = value;
        while (true) {
          std::size_t comma = rest.find(',');
          if (Trim(rest.substr(0, comma)).empty()) {
            return "'" + value +
                   "' has an empty domain between commas (a doubled or "
                   "trailing comma?)";
          }
          if (comma == std::string_view::npos) return {};
          rest.remove_prefix(comma + 1);
        }
      },
      "");
}

CLI::Validator NonEmpty(std::string what) {
  return CLI::Validator(
      [what](std::string& value) -> std::string {
        return value.empty() ? what : std::string();
      },
      "");
}

bool ToBool(std::string_view canonical) { return canonical == "true"; }

std::uint32_t ToUint32(std::string_view canonical) {
  std::uint32_t number = 0;
  std::from_chars(canonical.data(), canonical.data() + canonical.size(),
                  number);
  return number;
}

std::vector<std::string> SplitLists(const std::vector<std::string>& values) {
  std::vector<std::string> items;
  for (std::string_view value : values) {
    while (true) {
      std::size_t comma = value.find(',');
      std::string_view item = Trim(value.substr(0, comma));
      if (!item.empty()) items.emplace_back(item);
      if (comma == std::string_view::npos) break;
      value.remove_prefix(comma + 1);
    }
  }
  return items;
}

}  // namespace xmppfed::cli
