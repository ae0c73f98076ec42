// Small UTF-8 helpers shared by the policy rules. Internal to agent/policy.
//
// UTF-8 here is strict RFC 3629: no overlong forms, no surrogates, nothing
// above U+10FFFF. Protobuf `string` fields (ErrorDetail.value among them) must
// hold valid UTF-8, which is why every value echoed in an error goes through
// ValueForError first.
#ifndef XMPPFED_AGENT_POLICY_TEXT_H_
#define XMPPFED_AGENT_POLICY_TEXT_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xmppfed::policy::text {

// The code points of `s`, or nullopt when `s` is not valid UTF-8.
std::optional<std::vector<char32_t>> DecodeUtf8(std::string_view s);

// C0 (U+0000-U+001F), DEL (U+007F) and C1 (U+0080-U+009F): Unicode's Cc.
bool IsControl(char32_t c);

// Unicode's Bidi_Control characters (U+061C, U+200E, U+200F, U+202A-U+202E,
// U+2066-U+2069): invisible, they reorder the text around them, so a value
// can read as something other than what it is (CVE-2021-42574).
bool IsBidiControl(char32_t c);

// Unicode's Bidi_Control characters (U+061C, U+200E, U+200F, U+202A-U+202E,
// U+2066-U+2069): invisible, they reorder the text around them, so a value
// can read as something other than what it is (CVE-2021-42574).
bool IsBidiControl(char32_t c);

// Unicode White_Space, ASCII and beyond (NBSP, ideographic space, ...).
bool IsWhiteSpace(char32_t c);

bool IsAscii(std::string_view s);

// ASCII letters lower-cased; every other byte kept.
std::string AsciiLower(std::string_view s);

// `s` made safe to echo in an error: each byte that is not part of a valid
// UTF-8 sequence becomes the text "\xNN", each Bidi_Control character the
// text "<U+202E>" (so the message reads as it is), and the result is cut (at
// a code point boundary, with "...") to at most `max_bytes` bytes so that a
// huge refused value does not travel back whole.
std::string ValueForError(std::string_view s, std::size_t max_bytes = 1024);

// `s` (valid UTF-8) shortened to `max_code_points` code points plus "...",
// for quoting a label inside a rule.
std::string Shorten(std::string_view s, std::size_t max_code_points = 24);

}  // namespace xmppfed::policy::text

#endif  // XMPPFED_AGENT_POLICY_TEXT_H_
