#include "cli/input/json_value.h"

#include <cstdint>
#include <cstdio>
#include <limits>

#include "xmppfed/v1/utf8.h"

namespace xmppfed::cli {
namespace {

class Parser {
 public:
  Parser(TextSource& source, std::string& error, std::size_t max_bytes)
      : source_(source), error_(error), max_bytes_(max_bytes) {}

  // The first UTF-8 problem, or "" .
  const std::string& utf8_problem() const { return utf8_problem_; }
  bool too_large() const { return too_large_; }

  bool Value(JsonValue& value, int depth) {
    SkipJsonSpace(source_);
    int c = source_.Peek();
    switch (c) {
      case '{':
        return Object(value, depth);
      case '[':
        return Array(value, depth);
      case '"':
        value.kind = JsonValue::Kind::kString;
        return String(value.text);
      case 't':
        value.kind = JsonValue::Kind::kBool;
        value.boolean = true;
        return Literal("true");
      case 'f':
        value.kind = JsonValue::Kind::kBool;
        return Literal("false");
      case 'n':
        value.kind = JsonValue::Kind::kNull;
        return Literal("null");
      case TextSource::kEnd:
        return Fail("unexpected end of input; a value was expected");
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          value.kind = JsonValue::Kind::kNumber;
          return Number(value.text);
        }
        return Fail(std::string("unexpected ") + Describe(c) +
                    "; a value was expected");
    }
  }

 private:
  static std::string Describe(int c) {
    if (c == TextSource::kEnd) return "end of input";
    if (c >= 0x20 && c < 0x7F) return std::string("'") + char(c) + "'";
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", c);
    return std::string("byte ") + hex;
  }

  bool Fail(const std::string& what) {
    error_ = DescribePosition(source_.position()) + ": " + what;
    return false;
  }

  // Counts `bytes` against the limit; false once the value is over it (the
  // caller then keeps nothing more).
  bool Spend(std::size_t bytes) {
    if (too_large_ || bytes > max_bytes_ - spent_) {
      too_large_ = true;
      return false;
    }
    spent_ += bytes;
    return true;
  }

  // Appends one byte of a string or number within the limit.
  void Keep(std::string& text, int c) {
    if (Spend(1)) text.push_back(static_cast<char>(c));
  }

  bool Expect(char expected, const char* context) {
    SkipJsonSpace(source_);
    int c = source_.Peek();
    if (c != expected) {
      return Fail(std::string("expected '") + expected + "' " + context +
                  ", found " + Describe(c));
    }
    source_.Get();
    return true;
  }

  bool Literal(std::string_view word) {
    for (char expected : word) {
      if (source_.Peek() != expected) {
        return Fail("invalid literal; expected '" + std::string(word) + "'");
      }
      source_.Get();
    }
    return true;
  }

  bool Object(JsonValue& value, int depth) {
    if (depth >= kMaxJsonDepth) return Fail("nested too deeply");
    value.kind = JsonValue::Kind::kObject;
    source_.Get();  // '{'
    SkipJsonSpace(source_);
    if (source_.Peek() == '}') {
      source_.Get();
      return true;
    }
    while (true) {
      SkipJsonSpace(source_);
      if (source_.Peek() != '"') {
        return Fail("expected a key in double quotes, found " +
                    Describe(source_.Peek()));
      }
      std::string key;
      if (!String(key)) return false;
      if (!Expect(':', "after a key")) return false;
      JsonValue member;
      if (!Value(member, depth + 1)) return false;
      if (Spend(sizeof(JsonValue) + sizeof(std::string))) {
        value.keys.push_back(std::move(key));
        value.items.push_back(std::move(member));
      }
      SkipJsonSpace(source_);
      int c = source_.Peek();
      if (c != ',' && c != '}') {
        return Fail("expected ',' or '}' after a member, found " + Describe(c));
      }
      source_.Get();
      if (c == '}') return true;
    }
  }

  bool Array(JsonValue& value, int depth) {
    if (depth >= kMaxJsonDepth) return Fail("nested too deeply");
    value.kind = JsonValue::Kind::kArray;
    source_.Get();  // '['
    SkipJsonSpace(source_);
    if (source_.Peek() == ']') {
      source_.Get();
      return true;
    }
    while (true) {
      JsonValue item;
      if (!Value(item, depth + 1)) return false;
      if (Spend(sizeof(JsonValue))) value.items.push_back(std::move(item));
      SkipJsonSpace(source_);
      int c = source_.Peek();
      if (c != ',' && c != ']') {
        return Fail("expected ',' or ']' after an element, found " +
                    Describe(c));
      }
      source_.Get();
      if (c == ']') return true;
    }
  }

  bool Number(std::string& text) {
    auto digits = [&] {
      bool any = false;
      while (source_.Peek() >= '0' && source_.Peek() <= '9') {
        Keep(text, source_.Get());
        any = true;
      }
      return any;
    };
    if (source_.Peek() == '-') Keep(text, source_.Get());
    if (source_.Peek() == '0') {
      Keep(text, source_.Get());
    } else if (!digits()) {
      return Fail("invalid number");
    }
    if (source_.Peek() == '.') {
      Keep(text, source_.Get());
      if (!digits()) return Fail("invalid number: digits must follow '.'");
    }
    if (source_.Peek() == 'e' || source_.Peek() == 'E') {
      Keep(text, source_.Get());
      if (source_.Peek() == '+' || source_.Peek() == '-') {
        Keep(text, source_.Get());
      }
      if (!digits()) return Fail("invalid number: digits must follow 'e'");
    }
    return true;
  }

  bool Hex4(std::uint32_t& unit) {
    unit = 0;
    for (int i = 0; i < 4; ++i) {
      int c = source_.Get();
      int digit = (c >= '0' && c <= '9')   ? c - '0'
                  : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                  : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                           : -1;
      if (digit < 0) return Fail("invalid \\u escape: four hex digits needed");
      unit = unit * 16 + static_cast<std::uint32_t>(digit);
    }
    return true;
  }

  bool Escape(std::string& out) {
    int c = source_.Get();
    switch (c) {
      case '"':
      case '\\':
      case '/':
        out.push_back(static_cast<char>(c));
        return true;
      case 'b':
        out.push_back('\b');
        return true;
      case 'f':
        out.push_back('\f');
        return true;
      case 'n':
        out.push_back('\n');
        return true;
      case 'r':
        out.push_back('\r');
        return true;
      case 't':
        out.push_back('\t');
        return true;
      case 'u': {
        std::uint32_t unit;
        if (!Hex4(unit)) return false;
        if (unit >= 0xDC00 && unit <= 0xDFFF) {
          return Fail("invalid \\u escape: a lone low surrogate");
        }
        if (unit >= 0xD800 && unit <= 0xDBFF) {
          std::uint32_t low;
          if (source_.Get() != '\\' || source_.Get() != 'u' || !Hex4(low) ||
              low < 0xDC00 || low > 0xDFFF) {
            return Fail(
                "invalid \\u escape: a high surrogate without its "
                "low surrogate");
          }
          unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
        }
        v1::AppendUtf8(unit, &out);
        return true;
      }
      default:
        return Fail("invalid escape \\" + Describe(c));
    }
  }

  // Raw bytes of 0x80 and above are checked as UTF-8 as they come: the
  // first invalid one is remembered with its position, and the string is
  // read on to its end.
  bool String(std::string& out) {
    source_.Get();        // '"'
    std::string pending;  // an incomplete UTF-8 sequence
    TextPosition pending_at;
    while (true) {
      TextPosition at = source_.position();
      int c = source_.Get();
      if (c >= 0x80 && (c & 0xC0) == 0x80 && !pending.empty()) {
        pending.push_back(static_cast<char>(c));
        if (!CheckSequence(pending, pending_at, out)) pending.clear();
        continue;
      }
      if (!pending.empty()) {
        Utf8Problem(pending_at, pending.front());
        pending.clear();
      }
      if (c >= 0x80) {
        pending.push_back(static_cast<char>(c));
        pending_at = at;
        if (!CheckSequence(pending, pending_at, out)) pending.clear();
        continue;
      }
      if (c == '"') return true;
      if (c == TextSource::kEnd) return Fail("unterminated string");
      if (c < 0x20) {
        return Fail("a control character inside a string must be escaped");
      }
      if (c == '\\') {
        std::string escaped;
        if (!Escape(escaped)) return false;
        for (char e : escaped) Keep(out, static_cast<unsigned char>(e));
        continue;
      }
      Keep(out, c);
    }
  }

  // `sequence` (started at `at`) so far: true while it may still become a
  // valid UTF-8 sequence; otherwise it is kept when complete and valid, or
  // reported, and false is returned.
  bool CheckSequence(const std::string& sequence, TextPosition at,
                     std::string& out) {
    unsigned char lead = static_cast<unsigned char>(sequence[0]);
    std::size_t length = (lead & 0xE0) == 0xC0   ? 2
                         : (lead & 0xF0) == 0xE0 ? 3
                         : (lead & 0xF8) == 0xF0 ? 4
                                                 : 0;
    if (length != 0 && sequence.size() < length) return true;
    char32_t ignored;
    if (length == 0 || v1::Utf8SequenceAt(sequence, 0, &ignored) != length) {
      Utf8Problem(at, sequence[0]);
      return false;
    }
    for (char c : sequence) Keep(out, static_cast<unsigned char>(c));
    return false;
  }

  void Utf8Problem(TextPosition at, char byte) {
    if (!utf8_problem_.empty()) return;
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(byte));
    utf8_problem_ = DescribePosition(at) + ": not valid UTF-8 (byte " + hex +
                    "); save the file as UTF-8";
  }

  TextSource& source_;
  std::string& error_;
  std::size_t max_bytes_;
  std::size_t spent_ = 0;
  bool too_large_ = false;
  std::string utf8_problem_;
};

}  // namespace

const JsonValue* JsonValue::Find(std::string_view key) const {
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (keys[i] == key) return &items[i];
  }
  return nullptr;
}

std::string_view KindName(JsonValue::Kind kind) {
  switch (kind) {
    case JsonValue::Kind::kNull:
      return "null";
    case JsonValue::Kind::kBool:
      return "boolean";
    case JsonValue::Kind::kNumber:
      return "number";
    case JsonValue::Kind::kString:
      return "string";
    case JsonValue::Kind::kArray:
      return "array";
    case JsonValue::Kind::kObject:
      return "object";
    case JsonValue::Kind::kCsvCell:
      return "text";
  }
  return "value";
}

void SkipJsonSpace(TextSource& source) {
  while (true) {
    int c = source.Peek();
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
    source.Get();
  }
}

std::optional<JsonValue> ParseJsonValue(TextSource& source,
                                        std::string& error) {
  JsonValueProblem problem;
  std::optional<JsonValue> value = ParseJsonValue(
      source, error, std::numeric_limits<std::size_t>::max(), &problem);
  if (value && !problem.text.empty()) {
    error = problem.text;
    return std::nullopt;
  }
  return value;
}

std::optional<JsonValue> ParseJsonValue(TextSource& source, std::string& error,
                                        std::size_t max_bytes,
                                        JsonValueProblem* problem) {
  JsonValue value;
  Parser parser(source, error, max_bytes);
  if (!parser.Value(value, 0)) return std::nullopt;
  problem->text = parser.utf8_problem();
  if (problem->text.empty() && parser.too_large()) {
    problem->text =
        "the record is larger than " + std::to_string(max_bytes) + " bytes";
  }
  return value;
}

}  // namespace xmppfed::cli
