#include "agent/edge/xml/stream_writer.h"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "agent/edge/xml/namespaces.h"

namespace xmppfed::edge::xml {
namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

// Decodes the UTF-8 sequence at text[i]; returns its length, or 0 when it is
// invalid (truncated, overlong, a surrogate, above U+10FFFF).
size_t DecodeUtf8(std::string_view text, size_t i, uint32_t* code_point) {
  unsigned char lead = static_cast<unsigned char>(text[i]);
  size_t length;
  uint32_t value;
  uint32_t minimum;
  if (lead < 0x80) {
    *code_point = lead;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, value = lead & 0x1F, minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, value = lead & 0x0F, minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, value = lead & 0x07, minimum = 0x10000;
  } else {
    return 0;
  }
  if (text.size() - i < length) return 0;
  for (size_t k = 1; k < length; ++k) {
    unsigned char next = static_cast<unsigned char>(text[i + k]);
    if ((next & 0xC0) != 0x80) return 0;
    value = (value << 6) | (next & 0x3F);
  }
  if (value < minimum || value > 0x10FFFF ||
      (value >= 0xD800 && value <= 0xDFFF)) {
    return 0;
  }
  *code_point = value;
  return length;
}

// XML 1.0 §2.2 Char, for the code points valid UTF-8 can hold.
bool IsXmlChar(uint32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD ||
         (c >= 0x20 && c != 0xFFFE && c != 0xFFFF);
}

// Bytes copied as they are: printable ASCII but for the markup characters,
// and in character data also tab, LF and the quotes. Everything else goes
// through the decoding below, one code point at a time.
struct PlainBytes {
  bool text[256] = {};
  bool attribute[256] = {};
  constexpr PlainBytes() {
    for (int c = 0x20; c < 0x7F; ++c) {
      bool markup = c == '&' || c == '<' || c == '>';
      text[c] = !markup;
      attribute[c] = !markup && c != '"' && c != '\'';
    }
    text[static_cast<unsigned char>('\t')] = true;
    text[static_cast<unsigned char>('\n')] = true;
  }
};
constexpr PlainBytes kPlain;

// Escapes `text` onto `out`. In character data tab and LF stay literal;
// everywhere CR becomes &#13; (a literal one would be read back as LF).
void AppendEscaped(std::string& out, std::string_view text,
                   bool attribute_value) {
  const bool* plain = attribute_value ? kPlain.attribute : kPlain.text;
  size_t i = 0;
  while (i < text.size()) {
    size_t run = i;
    while (run < text.size() && plain[static_cast<unsigned char>(text[run])]) {
      ++run;
    }
    out.append(text.data() + i, run - i);
    i = run;
    if (i == text.size()) break;
    uint32_t c = 0;
    size_t length = DecodeUtf8(text, i, &c);
    if (length == 0 || !IsXmlChar(c)) {
      out += kReplacementCharacter;
      i += length == 0 ? 1 : length;
      continue;
    }
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += attribute_value ? "&quot;" : "\"";
        break;
      case '\'':
        out += attribute_value ? "&apos;" : "'";
        break;
      case '\t':
        out += attribute_value ? "&#9;" : "\t";
        break;
      case '\n':
        out += attribute_value ? "&#10;" : "\n";
        break;
      case '\r':
        out += "&#13;";
        break;
      default:
        out.append(text.substr(i, length));
    }
    i += length;
  }
}

void AppendAttribute(std::string& out, std::string_view name,
                     std::string_view value) {
  out += ' ';
  out += name;
  out += "='";
  AppendEscaped(out, value, /*attribute_value=*/true);
  out += '\'';
}

// An NCName made of ASCII letters, digits, '-', '.' and '_', not starting
// with a digit, '-' or '.'; enough for any prefix the edge declares.
bool IsPlainPrefix(std::string_view prefix) {
  if (prefix.empty() || prefix == "stream" || prefix == "xml" ||
      prefix == "xmlns") {
    return false;
  }
  auto is_letter = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  };
  if (!is_letter(prefix.front())) return false;
  return std::all_of(prefix.begin(), prefix.end(), [&](char c) {
    return is_letter(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
}

bool AppendStanza(std::string& out, xmpp_stanza_t* stanza,
                  const char* parent_ns) {
  if (xmpp_stanza_is_text(stanza)) {
    const char* text = xmpp_stanza_get_text_ptr(stanza);
    if (text != nullptr) AppendEscaped(out, text, /*attribute_value=*/false);
    return true;
  }
  const char* name = xmpp_stanza_get_name(stanza);
  if (name == nullptr || *name == '\0') return false;
  out += '<';
  out += name;
  const char* ns = xmpp_stanza_get_ns(stanza);
  if (ns != nullptr &&
      (parent_ns == nullptr || std::string_view(ns) != parent_ns)) {
    AppendAttribute(out, "xmlns", ns);
  }
  int count = xmpp_stanza_get_attribute_count(stanza);
  absl::InlinedVector<const char*, 16> flat(static_cast<size_t>(count) * 2);
  xmpp_stanza_get_attributes(stanza, flat.data(), count * 2);
  absl::InlinedVector<std::pair<std::string_view, std::string_view>, 8>
      attributes;
  for (size_t k = 0; k + 1 < flat.size(); k += 2) {
    if (flat[k] == nullptr || std::string_view(flat[k]) == "xmlns") continue;
    attributes.emplace_back(flat[k], flat[k + 1] ? flat[k + 1] : "");
  }
  std::sort(attributes.begin(), attributes.end());
  for (const auto& [key, value] : attributes) AppendAttribute(out, key, value);
  xmpp_stanza_t* child = xmpp_stanza_get_children(stanza);
  if (child == nullptr) {
    out += "/>";
    return true;
  }
  out += '>';
  for (; child != nullptr; child = xmpp_stanza_get_next(child)) {
    if (!AppendStanza(out, child, ns)) return false;
  }
  out += "</";
  out += name;
  out += '>';
  return true;
}

}  // namespace

std::string EscapeXml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendEscaped(out, text, /*attribute_value=*/true);
  return out;
}

std::string StreamHeaderXml(const StreamHeader& header,
                            bool with_xml_declaration) {
  std::string out = with_xml_declaration ? "<?xml version='1.0'?>" : "";
  out += "<stream:stream";
  AppendAttribute(out, "xmlns", header.default_ns);
  AppendAttribute(out, "xmlns:stream", kStreamsNamespace);
  for (const auto& [prefix, ns] : header.prefixes) {
    if (IsPlainPrefix(prefix)) AppendAttribute(out, "xmlns:" + prefix, ns);
  }
  if (!header.from.empty()) AppendAttribute(out, "from", header.from);
  if (!header.to.empty()) AppendAttribute(out, "to", header.to);
  if (!header.id.empty()) AppendAttribute(out, "id", header.id);
  if (!header.version.empty()) AppendAttribute(out, "version", header.version);
  if (!header.lang.empty()) AppendAttribute(out, "xml:lang", header.lang);
  out += '>';
  return out;
}

std::string StreamErrorXml(StreamError error, const std::string& text) {
  std::string out = "<stream:error><";
  out += StreamErrorName(error);
  AppendAttribute(out, "xmlns", kStreamErrorsNamespace);
  out += "/>";
  if (!text.empty()) {
    out += "<text";
    AppendAttribute(out, "xmlns", kStreamErrorsNamespace);
    out += '>';
    AppendEscaped(out, text, /*attribute_value=*/false);
    out += "</text>";
  }
  out += "</stream:error></stream:stream>";
  return out;
}

std::string StanzaXml(xmpp_stanza_t* stanza) {
  std::string out;
  AppendStanzaXml(stanza, &out);
  return out;
}

bool AppendStanzaXml(xmpp_stanza_t* stanza, std::string* out) {
  if (stanza == nullptr) return false;
  size_t before = out->size();
  if (AppendStanza(*out, stanza, nullptr)) return true;
  out->resize(before);
  return false;
}

}  // namespace xmppfed::edge::xml
