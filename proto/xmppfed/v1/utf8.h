// Text of the v1 contract: every protobuf `string` holds valid UTF-8 (proto3
// refuses to serialise anything else), so every value that may end up in one
// (a field, an error message quoting input, a log line) is checked with these
// first. Strict RFC 3629: no overlong forms, no surrogates, nothing above
// U+10FFFF.
//
// Header-only and free of protobuf, like spelling.h, so that the CLI's front
// end can use it without loading gRPC.
#ifndef XMPPFED_PROTO_XMPPFED_V1_UTF8_H_
#define XMPPFED_PROTO_XMPPFED_V1_UTF8_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace xmppfed::v1 {

// The length (1 to 4) of the valid UTF-8 sequence starting at s[pos], with
// its code point in *code_point; 0 when the bytes there are not one.
inline std::size_t Utf8SequenceAt(std::string_view s, std::size_t pos,
                                  char32_t* code_point) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char b0 = byte(pos);
  if (b0 < 0x80) {
    *code_point = b0;
    return 1;
  }
  std::size_t length;
  char32_t min;
  char32_t c;
  if ((b0 & 0xE0) == 0xC0) {
    length = 2, min = 0x80, c = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    length = 3, min = 0x800, c = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    length = 4, min = 0x10000, c = b0 & 0x07;
  } else {
    return 0;
  }
  if (pos + length > s.size()) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    unsigned char b = byte(pos + i);
    if ((b & 0xC0) != 0x80) return 0;
    c = (c << 6) | (b & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
  *code_point = c;
  return length;
}

// The offset of the first byte that does not start a valid sequence;
// std::string_view::npos when all of `s` is valid UTF-8.
inline std::size_t FindInvalidUtf8(std::string_view s) {
  for (std::size_t pos = 0; pos < s.size();) {
    char32_t ignored;
    std::size_t length = Utf8SequenceAt(s, pos, &ignored);
    if (length == 0) return pos;
    pos += length;
  }
  return std::string_view::npos;
}

// Appends the UTF-8 encoding of `c`, a Unicode scalar value.
inline void AppendUtf8(char32_t c, std::string* out) {
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

}  // namespace xmppfed::v1

#endif  // XMPPFED_PROTO_XMPPFED_V1_UTF8_H_
