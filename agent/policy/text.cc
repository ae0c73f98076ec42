#include "agent/policy/text.h"

#include "absl/strings/str_format.h"
#include "xmppfed/v1/utf8.h"

namespace xmppfed::policy::text {
std::optional<std::vector<char32_t>> DecodeUtf8(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (std::size_t pos = 0; pos < s.size();) {
    char32_t c;
    std::size_t len = v1::Utf8SequenceAt(s, pos, &c);
    if (len == 0) return std::nullopt;
    out.push_back(c);
    pos += len;
  }
  return out;
}

bool IsControl(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

bool IsBidiControl(char32_t c) {
  return c == 0x061C || c == 0x200E || c == 0x200F ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

bool IsWhiteSpace(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
         c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string ValueForError(std::string_view s, std::size_t max_bytes) {
  std::string out;
  for (std::size_t pos = 0; pos < s.size();) {
    char32_t c;
    std::size_t len = v1::Utf8SequenceAt(s, pos, &c);
    std::string piece =
        len == 0
            ? absl::StrFormat("\\x%02X", static_cast<unsigned char>(s[pos]))
        : IsBidiControl(c) ? absl::StrFormat("<U+%04X>", static_cast<int>(c))
                           : std::string(s.substr(pos, len));
    if (out.size() + piece.size() > max_bytes) {
      out += "...";
      break;
    }
    out += piece;
    pos += len == 0 ? 1 : len;
  }
  return out;
}

std::string Shorten(std::string_view s, std::size_t max_code_points) {
  std::string out;
  std::size_t count = 0;
  for (std::size_t pos = 0; pos < s.size();) {
    char32_t c;
    std::size_t len = v1::Utf8SequenceAt(s, pos, &c);
    if (len == 0) len = 1;  // Callers pass valid UTF-8; stay safe anyway.
    if (count == max_code_points) {
      out += "...";
      break;
    }
    out.append(s.substr(pos, len));
    pos += len;
    ++count;
  }
  return out;
}

}  // namespace xmppfed::policy::text
