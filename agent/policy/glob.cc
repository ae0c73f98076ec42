// NormalizeGlob (declared in domain.h): the --filter of get-partner and
// remove-partner, matched with SQLite GLOB against stored identities.
#include "absl/strings/str_cat.h"
#include "agent/errors/field_error.h"
#include "agent/policy/domain.h"
#include "agent/policy/text.h"

namespace xmppfed::policy {
namespace {

constexpr std::string_view kFilterField = "filter";

absl::Status Refuse(std::string_view input, std::string_view rule) {
  return errors::InvalidField(kFilterField, text::ValueForError(input), rule);
}

}  // namespace

absl::StatusOr<std::string> NormalizeGlob(std::string_view input) {
  for (char ch : input) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80) {
      return Refuse(input,
                    "only ASCII is allowed; write internationalised names in "
                    "their A-label form (xn--...)");
    }
    if (c < 0x20 || c == 0x7F) {
      return Refuse(input, "control characters are not allowed");
    }
  }
  if (input.size() > kMaxGlobLength) {
    return Refuse(input, "a filter is at most 1024 characters");
  }
  std::string glob = text::AsciiLower(input);
  // SQLite's class syntax: after '[' (and an optional '^') a ']' is a member,
  // the next ']' closes the class.
  for (std::size_t i = 0; i < glob.size(); ++i) {
    if (glob[i] != '[') continue;
    std::size_t j = i + 1;
    if (j < glob.size() && glob[j] == '^') ++j;
    if (j < glob.size() && glob[j] == ']') ++j;
    while (j < glob.size() && glob[j] != ']') ++j;
    if (j >= glob.size()) {
      return Refuse(input, absl::StrCat("\"[\" at position ", i + 1,
                                        " is not closed by \"]\""));
    }
    i = j;
  }
  return glob;
}

}  // namespace xmppfed::policy
