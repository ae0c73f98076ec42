#include "cli/output/json.h"

#include <cstdint>
#include <variant>

#include "xmppfed/v1/utf8.h"

namespace xmppfed::cli {
namespace {

void AppendUnicodeEscape(std::string& out, unsigned code) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4)
    out += kHex[(code >> shift) & 0xF];
}

// Writes values at a nesting level; `pretty` adds newlines and 2-space
// indentation, otherwise nothing between tokens.
struct Printer {
  std::string& out;
  bool pretty;

  void NewLine(int level) const {
    if (!pretty) return;
    out += '\n';
    out.append(static_cast<std::size_t>(level) * 2, ' ');
  }

  // `open`/`close` around `count` items, each printed by `item(i, level)`.
  template <typename ItemFn>
  void Sequence(char open, char close, std::size_t count, int level,
                ItemFn item) const {
    out += open;
    for (std::size_t i = 0; i < count; ++i) {
      if (i > 0) out += ',';
      NewLine(level + 1);
      item(i, level + 1);
    }
    if (count > 0) NewLine(level);
    out += close;
  }

  void PrintObject(const Record& record, int level) const {
    Sequence('{', '}', record.fields.size(), level, [&](std::size_t i, int l) {
      AppendJsonString(out, record.fields[i].key);
      out += pretty ? ": " : ":";
      PrintValue(record.fields[i].value, l);
    });
  }

  void PrintValue(const Value& value, int level) const {
    if (const auto* s = std::get_if<std::string>(&value)) {
      AppendJsonString(out, *s);
    } else if (const auto* b = std::get_if<bool>(&value)) {
      out += *b ? "true" : "false";
    } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
      out += std::to_string(*i);
    } else if (const auto* u = std::get_if<std::uint64_t>(&value)) {
      out += std::to_string(*u);
    } else if (const auto* list = std::get_if<Strings>(&value)) {
      Sequence('[', ']', list->size(), level,
               [&](std::size_t i, int) { AppendJsonString(out, (*list)[i]); });
    } else if (const auto* records = std::get_if<Records>(&value)) {
      Sequence('[', ']', records->size(), level,
               [&](std::size_t i, int l) { PrintObject((*records)[i], l); });
    } else if (std::holds_alternative<Null>(value)) {
      out += "null";
    } else if (const auto* nested = std::get_if<Nested>(&value)) {
      if (nested->record.empty()) {
        out += "{}";
      } else {
        PrintObject(nested->record.front(), level);
      }
    }
  }
};

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  for (std::size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      char32_t ignored;
      std::size_t length = v1::Utf8SequenceAt(text, i, &ignored);
      if (length == 0) {
        AppendUnicodeEscape(out, 0xFFFD);
        ++i;
      } else {
        out.append(text, i, length);
        i += length;
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          AppendUnicodeEscape(out, c);
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
}

std::string CompactJson(const Record& record) {
  std::string out;
  Printer{out, false}.PrintObject(record, 0);
  return out;
}

std::string PrettyJson(const Record& record, int indent) {
  std::string out;
  Printer{out, true}.PrintObject(record, indent);
  return out;
}

}  // namespace xmppfed::cli
