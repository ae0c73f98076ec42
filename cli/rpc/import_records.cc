#include "cli/rpc/import_records.h"

#include <array>
#include <charconv>
#include <optional>
#include <string>

#include "xmppfed/v1/limits.h"
#include "xmppfed/v1/spelling.h"
#include "xmppfed/v1/utf8.h"

namespace xmppfed::cli {
namespace {

using Kind = JsonValue::Kind;

constexpr std::array<std::string_view, 14> kImportKeys = {
    "identity",
    "description",
    "additionalDomains",
    "partnerType",
    "tlsNegotiation",
    "saslNegotiation",
    "supportDialbackNegotiation",
    "proxyFqdn",
    "enableKeepAlive",
    "connectionLimit",
    "revision",
    "createdAt",
    "modifiedAt",
    "status"};

// A value that does not fit its field: "field=value: rule".
struct FieldProblem {
  std::string message;
};

bool IsText(const JsonValue& value) {
  return value.kind == Kind::kString || value.kind == Kind::kCsvCell;
}

// Not given: null, or an empty CSV cell where text is not the field's type.
bool IsAbsent(const JsonValue& value) {
  return value.kind == Kind::kNull ||
         (value.kind == Kind::kCsvCell && value.text.empty());
}

std::string Shown(const JsonValue& value) {
  if (IsText(value) || value.kind == Kind::kNumber) {
    return value.text.empty() ? "\"\"" : CutForError(value.text, 256);
  }
  if (value.kind == Kind::kBool) return value.boolean ? "true" : "false";
  return std::string("(") + std::string(KindName(value.kind)) + ")";
}

FieldProblem Problem(std::string_view key, const JsonValue& value,
                     std::string_view rule) {
  return {std::string(key) + "=" + Shown(value) + ": " + std::string(rule)};
}

std::optional<FieldProblem> Text(std::string_view key, const JsonValue& value,
                                 std::string* out) {
  if (!IsText(value)) return Problem(key, value, "must be a string");
  *out = value.text;
  return std::nullopt;
}

std::string Trim(std::string_view text) {
  std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return "";
  std::size_t last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

// What PowerShell's Export-Csv writes for a list property: the name of the
// list's .NET type (System.Collections.Generic.List`1[System.String], ...),
// never a domain: a backtick or brackets, or a namespace no domain starts
// with in that letter case.
bool IsDotNetTypeName(std::string_view text) {
  if (text.find_first_of("`[]") != std::string_view::npos) return true;
  for (std::string_view prefix : {"System.", "Microsoft.", "Deserialized."}) {
    if (text.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

constexpr std::string_view kExportTheList =
    "it is the name of a .NET type, which PowerShell's Export-Csv writes for "
    "a list: export the domains joined by ';' instead, e.g. "
    "Get-CsXmppAllowedPartner | Select-Object Identity,Description,"
    "@{Name='AdditionalDomains';Expression={$_.AdditionalDomains -join ';'}},"
    "PartnerType,TlsNegotiation,SaslNegotiation,SupportDialbackNegotiation,"
    "ProxyFqdn,EnableKeepAlive,ConnectionLimit | Export-Csv partners.csv "
    "-NoTypeInformation -Encoding UTF8";

std::optional<FieldProblem> Domains(const JsonValue& value,
                                    v1::DomainList* list) {
  if (value.kind == Kind::kArray) {
    for (const JsonValue& item : value.items) {
      if (item.kind != Kind::kString) {
        return Problem("additionalDomains", item,
                       "must be an array of strings");
      }
      list->add_domains(item.text);
    }
    return std::nullopt;
  }
  if (!IsText(value)) {
    return Problem("additionalDomains", value,
                   "must be an array of strings, or one string with the "
                   "domains separated by ';'");
  }
  if (IsDotNetTypeName(value.text)) {
    return Problem("additionalDomains", value, kExportTheList);
  }
  // "" is the empty list; otherwise every element between ';' is a domain.
  if (Trim(value.text).empty()) return std::nullopt;
  std::string_view rest = value.text;
  while (true) {
    std::size_t end = rest.find(';');
    std::string item = Trim(rest.substr(0, end));
    if (item.empty()) {
      return Problem("additionalDomains", value,
                     "an empty domain between ';' (a doubled or trailing "
                     "';'?)");
    }
    list->add_domains(item);
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return std::nullopt;
}

template <typename Enum, std::size_t N>
std::optional<FieldProblem> EnumValue(
    std::string_view key, const JsonValue& value,
    std::optional<Enum> (*parse)(std::string_view),
    const std::array<std::string_view, N>& names, Enum* out) {
  std::optional<Enum> parsed;
  if (IsText(value)) parsed = parse(value.text);
  if (parsed) {
    *out = *parsed;
    return std::nullopt;
  }
  std::string accepted;
  for (std::size_t i = 0; i < N; ++i) {
    if (i > 0) accepted += i + 1 == N ? " or " : ", ";
    accepted += names[i];
  }
  return Problem(key, value, "must be " + accepted + " (any case)");
}

std::optional<FieldProblem> Bool(std::string_view key, const JsonValue& value,
                                 bool* out) {
  if (value.kind == Kind::kBool) {
    *out = value.boolean;
    return std::nullopt;
  }
  if (IsText(value)) {
    std::string lower;
    for (char c : value.text) {
      lower.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
    }
    if (lower == "true" || lower == "false") {
      *out = lower == "true";
      return std::nullopt;
    }
  }
  return Problem(key, value, "must be true or false");
}

std::optional<FieldProblem> Uint32(std::string_view key, const JsonValue& value,
                                   uint32_t* out) {
  if (value.kind == Kind::kNumber || IsText(value)) {
    const std::string& text = value.text;
    uint32_t number = 0;
    auto [end, error] =
        std::from_chars(text.data(), text.data() + text.size(), number);
    if (!text.empty() && error == std::errc() &&
        end == text.data() + text.size()) {
      *out = number;
      return std::nullopt;
    }
  }
  return Problem(key, value,
                 "must be a whole number from 0 to " +
                     std::to_string(v1::kMaxPartnerConnectionLimit));
}

// Applies one key; a problem for a value of the wrong type.
std::optional<FieldProblem> ApplyKey(std::string_view key,
                                     const JsonValue& value,
                                     v1::ImportRecord* out) {
  v1::PartnerFields* fields = out->mutable_fields();
  if (key == "identity") {
    if (value.kind == Kind::kNull) return std::nullopt;
    return Text(key, value, out->mutable_identity());
  }
  // Read-only keys of get-partner's output: a round trip carries them.
  if (key == "revision" || key == "createdAt" || key == "modifiedAt" ||
      key == "status") {
    return std::nullopt;
  }
  if (key == "description" && value.kind != Kind::kNull) {
    return Text(key, value, fields->mutable_description());
  }
  if (key == "proxyFqdn" && value.kind != Kind::kNull) {
    return Text(key, value, fields->mutable_proxy_fqdn());
  }
  if (key == "additionalDomains" && value.kind != Kind::kNull) {
    return Domains(value, fields->mutable_additional_domains());
  }
  if (IsAbsent(value)) return std::nullopt;
  std::optional<FieldProblem> problem;
  if (key == "partnerType") {
    v1::PartnerType type{};
    problem = EnumValue(key, value, v1::ParsePartnerType, v1::kPartnerTypeNames,
                        &type);
    if (!problem) fields->set_partner_type(type);
  } else if (key == "tlsNegotiation" || key == "saslNegotiation") {
    v1::Negotiation negotiation{};
    problem = EnumValue(key, value, v1::ParseNegotiation, v1::kNegotiationNames,
                        &negotiation);
    if (!problem && key == "tlsNegotiation") {
      fields->set_tls_negotiation(negotiation);
    } else if (!problem) {
      fields->set_sasl_negotiation(negotiation);
    }
  } else if (key == "supportDialbackNegotiation" || key == "enableKeepAlive") {
    bool flag = false;
    problem = Bool(key, value, &flag);
    if (!problem && key == "enableKeepAlive") {
      fields->set_enable_keep_alive(flag);
    } else if (!problem) {
      fields->set_support_dialback_negotiation(flag);
    }
  } else if (key == "connectionLimit") {
    uint32_t limit = 0;
    problem = Uint32(key, value, &limit);
    if (!problem) fields->set_connection_limit(limit);
  }
  return problem;
}

bool IsKnownKey(std::string_view key) {
  for (std::string_view known : kImportKeys) {
    if (key == known) return true;
  }
  return false;
}

// Protobuf strings must be UTF-8: a byte that is not becomes the text
// "\xNN", so that a record with one is refused whole instead of failing
// the import.
std::string ValidUtf8(std::string_view text) {
  std::string out;
  for (std::size_t pos = 0; pos < text.size();) {
    char32_t ignored;
    std::size_t length = v1::Utf8SequenceAt(text, pos, &ignored);
    if (length == 0) {
      static constexpr char kHex[] = "0123456789ABCDEF";
      unsigned char byte = static_cast<unsigned char>(text[pos]);
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
      ++pos;
      continue;
    }
    out.append(text.substr(pos, length));
    pos += length;
  }
  return out;
}

}  // namespace

std::span<const std::string_view> ImportKeys() { return kImportKeys; }

std::string CutForError(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return ValidUtf8(text);
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return ValidUtf8(text.substr(0, cut)) + "... (" +
         std::to_string(text.size()) + " bytes)";
}

v1::ImportRecord ToImportRecord(const InputRecord& record) {
  v1::ImportRecord out;
  out.set_line(record.line);
  if (const JsonValue* identity = record.object.Find("identity");
      identity != nullptr && IsText(*identity)) {
    out.set_identity(identity->text);
  }
  if (!record.error.empty()) {
    out.set_input_error(ValidUtf8(record.error));
  }
  if (v1::FindInvalidUtf8(out.identity()) != std::string::npos) {
    out.set_identity(ValidUtf8(out.identity()));
    if (out.input_error().empty()) {
      out.set_input_error("identity=" + out.identity() + ": not valid UTF-8");
    }
  }
  if (!out.input_error().empty()) return out;
  const JsonValue& object = record.object;
  for (std::size_t i = 0; i < object.keys.size(); ++i) {
    const std::string& key = object.keys[i];
    if (!IsKnownKey(key)) {
      out.set_input_error("unknown key '" + key +
                          "'; the keys are those of get-partner -o json");
      return out;
    }
    if (std::optional<FieldProblem> problem =
            ApplyKey(key, object.items[i], &out)) {
      out.clear_fields();
      out.set_input_error(ValidUtf8(problem->message));
      return out;
    }
  }
  if (out.identity().empty()) {
    out.set_input_error("identity=\"\": is required");
  }
  return out;
}

}  // namespace xmppfed::cli
