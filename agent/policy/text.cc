#include "agent/policy/text.h"

#include "absl/strings/str_format.h"

namespace xmppfed::policy::text {
namespace {

// Length of the valid UTF-8 sequence starting at s[pos] and its code point,
// or 0 when the bytes there are not a valid sequence.
std::size_t SequenceAt(std::string_view s, std::size_t pos, char32_t* out) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char b0 = byte(pos);
  if (b0 < 0x80) {
    *out = b0;
    return 1;
  }
  std::size_t len;
  char32_t min;
  char32_t c;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, min = 0x80, c = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, min = 0x800, c = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, min = 0x10000, c = b0 & 0x07;
  } else {
    return 0;
  }
  if (pos + len > s.size()) return 0;
  for (std::size_t i = 1; i < len; ++i) {
    unsigned char b = byte(pos + i);
    if ((b & 0xC0) != 0x80) return 0;
    c = (c << 6) | (b & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
  *out = c;
  return len;
}

}  // namespace

std::optional<std::vector<char32_t>> DecodeUtf8(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (std::size_t pos = 0; pos < s.size();) {
    char32_t c;
    std::size_t len = SequenceAt(s, pos, &c);
    if (len == 0) return std::nullopt;
    out.push_back(c);
    pos += len;
  }
  return out;
}

void AppendUtf8(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

bool IsControl(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

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
    std::size_t len = SequenceAt(s, pos, &c);
    std::string piece =
        len == 0
            ? absl::StrFormat("\\x%02X", static_cast<unsigned char>(s[pos]))
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
    std::size_t len = SequenceAt(s, pos, &c);
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
