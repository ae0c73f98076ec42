#include "agent/policy/domain.h"

#include <arpa/inet.h>
#include <idn2.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "agent/errors/field_error.h"
#include "agent/policy/text.h"
#include "xmppfed/v1/utf8.h"

namespace xmppfed::policy {
namespace {

constexpr std::string_view kProxyField = "proxyFqdn";
constexpr std::string_view kSpaceRule =
    "spaces and control characters are not allowed";
constexpr std::string_view kUtf8Rule = "not valid UTF-8";
constexpr std::string_view kWildcardRule = "wildcards are not allowed";
constexpr std::string_view kWildcardFormRule =
    "a wildcard is allowed only as a whole leading label \"*.\" before a "
    "domain of at least two labels, e.g. *.example.com";
constexpr std::string_view kWildcardBaseRule =
    "a wildcard covers the subdomains of a domain of at least two labels "
    "(*.example.com, not *.com)";
constexpr std::string_view kIpRule =
    "IP literals are not allowed; give a domain name";
constexpr std::string_view kEmptyLabelRule = "empty labels are not allowed";
constexpr std::string_view kTwoLabelsRule =
    "a domain needs at least two labels";
constexpr std::string_view kNameTooLongRule =
    "a domain is at most 253 octets long";
constexpr std::string_view kNumericTopRule =
    "the last label must not be all digits";
constexpr std::string_view kNoPortRule =
    "a domain has no port; give the name alone";
constexpr std::string_view kSchemeRule =
    "the only scheme allowed is tls:// (XEP-0368 direct TLS, e.g. "
    "tls://xmpp.example.com:5270); without a scheme the stream uses "
    "STARTTLS";
constexpr std::string_view kPortRule =
    "the port must be a number from 1 to "
    "65535";

// Bounds the work spent on absurd input before libidn2 sees it: every code
// point of a U-label costs at least one A-label octet and at most four UTF-8
// octets, so longer input can never fit in 253 octets.
constexpr std::size_t kMaxInputOctets = 4 * (kMaxDomainOctets + 1);

// What is being normalised and how it is reported.
struct NameRules {
  std::string_view field;
  std::string_view input;  // The whole value as given, echoed in errors.
  std::size_t min_labels;
  std::string_view empty_rule;
};

absl::Status Refuse(const NameRules& r, std::string_view rule) {
  return errors::InvalidField(r.field, text::ValueForError(r.input), rule);
}

std::string Quoted(std::string_view label) {
  return absl::StrCat("label \"", text::Shorten(label), "\"");
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), IsDigit);
}

bool IsLdh(char c) { return (c >= 'a' && c <= 'z') || IsDigit(c) || c == '-'; }

// The rule broken by the first ASCII character of `label` that is neither a
// (lower-case) letter, a digit nor a hyphen; "" when there is none.
std::string BadAsciiCharRule(std::string_view label) {
  for (char c : label) {
    if (static_cast<unsigned char>(c) < 0x80 && !IsLdh(c)) {
      return absl::StrCat(Quoted(label), " holds \"", std::string(1, c),
                          "\"; only letters, digits and hyphens are allowed");
    }
  }
  return "";
}

std::string TooLongRule(std::string_view label) {
  return absl::StrCat(Quoted(label), " is longer than 63 octets");
}

struct Idn2Deleter {
  void operator()(uint8_t* p) const { idn2_free(p); }
};

// `label` (ASCII already lower-cased) as an A-label, or plain LDH text as
// is. Non-ASCII labels go through UTS#46 mapping and IDNA2008; "xn--" labels
// must survive the round trip through libidn2 unchanged.
absl::StatusOr<std::string> ToALabel(const NameRules& r,
                                     const std::string& label) {
  bool ascii = text::IsAscii(label);
  if (ascii && !absl::StartsWith(label, "xn--")) return label;
  if (!ascii) {
    // Report ASCII punctuation in the words of the LDH rule, naming the
    // label as typed rather than libidn2's generic complaint.
    std::string bad = BadAsciiCharRule(label);
    if (!bad.empty()) return Refuse(r, bad);
  }
  uint8_t* raw = nullptr;
  int rc = idn2_lookup_u8(reinterpret_cast<const uint8_t*>(label.c_str()), &raw,
                          IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
  std::unique_ptr<uint8_t, Idn2Deleter> out(raw);
  if (rc == IDN2_TOO_BIG_LABEL || rc == IDN2_PUNYCODE_BIG_OUTPUT ||
      rc == IDN2_TOO_BIG_DOMAIN) {
    return Refuse(r, TooLongRule(label));
  }
  if (rc != IDN2_OK) {
    return Refuse(r, absl::StrCat(Quoted(label),
                                  ascii ? " is not a valid A-label ("
                                        : " is not a valid internationalised "
                                          "label (",
                                  idn2_strerror(rc), ")"));
  }
  std::string alabel(reinterpret_cast<const char*>(out.get()));
  if (ascii && alabel != label) {
    return Refuse(r, absl::StrCat(Quoted(label),
                                  " is not a valid A-label (not the canonical "
                                  "encoding of its U-label)"));
  }
  if (alabel.find('.') != std::string::npos) {
    return Refuse(r,
                  absl::StrCat(Quoted(label), " maps to more than one label"));
  }
  return alabel;
}

// The LDH rules on one label in its final (A-label or ASCII) form.
absl::Status CheckLabel(const NameRules& r, std::string_view label) {
  if (label.empty()) return Refuse(r, kEmptyLabelRule);
  if (label.size() > kMaxLabelOctets) return Refuse(r, TooLongRule(label));
  std::string bad = BadAsciiCharRule(label);
  if (!bad.empty()) return Refuse(r, bad);
  if (label.front() == '-') {
    return Refuse(r, absl::StrCat(Quoted(label), " starts with a hyphen"));
  }
  if (label.back() == '-') {
    return Refuse(r, absl::StrCat(Quoted(label), " ends with a hyphen"));
  }
  return absl::OkStatus();
}

// Valid UTF-8 without whitespace or control characters; `s` may be a part
// of r.input.
absl::Status CheckCharacters(const NameRules& r, std::string_view s) {
  std::optional<std::vector<char32_t>> points = text::DecodeUtf8(s);
  if (!points) return Refuse(r, kUtf8Rule);
  for (char32_t c : *points) {
    if (text::IsWhiteSpace(c) || text::IsControl(c)) {
      return Refuse(r, kSpaceRule);
    }
  }
  return absl::OkStatus();
}

// ASCII lower-cased; the UTS#46 full stops (U+3002, U+FF0E, U+FF61) made '.'
// so that labels can be split before libidn2 sees them one at a time.
std::string Fold(std::string_view name) {
  std::string out;
  // Named: a range-for over *DecodeUtf8(...) would dangle.
  std::optional<std::vector<char32_t>> points = text::DecodeUtf8(name);
  for (char32_t c : *points) {
    if (c == 0x3002 || c == 0xFF0E || c == 0xFF61) c = '.';
    if (c >= 'A' && c <= 'Z') c = c - 'A' + 'a';
    v1::AppendUtf8(c, &out);
  }
  return out;
}

absl::StatusOr<std::string> NormalizeName(const NameRules& r,
                                          std::string_view name) {
  if (name.empty()) return Refuse(r, r.empty_rule);
  if (name.size() > kMaxInputOctets) return Refuse(r, kNameTooLongRule);
  if (absl::Status s = CheckCharacters(r, name); !s.ok()) return s;
  if (name.find('*') != std::string_view::npos) {
    return Refuse(r, kWildcardRule);
  }
  // Brackets or two colons can only be an IPv6 literal; one colon is most
  // likely "host:port", which deserves its own words.
  std::size_t colons = std::count(name.begin(), name.end(), ':');
  if (colons > 1 || name.find_first_of("[]") != std::string_view::npos) {
    return Refuse(r, kIpRule);
  }
  if (colons == 1) return Refuse(r, kNoPortRule);
  std::string folded = Fold(name);
  if (!folded.empty() && folded.back() == '.') folded.pop_back();
  if (folded.empty()) return Refuse(r, r.empty_rule);

  std::vector<std::string> labels = absl::StrSplit(folded, '.');
  if (std::any_of(labels.begin(), labels.end(),
                  [](const std::string& l) { return l.empty(); })) {
    return Refuse(r, kEmptyLabelRule);
  }
  if (std::all_of(labels.begin(), labels.end(),
                  [](const std::string& l) { return AllDigits(l); })) {
    return Refuse(r, kIpRule);
  }
  for (std::string& label : labels) {
    absl::StatusOr<std::string> alabel = ToALabel(r, label);
    if (!alabel.ok()) return alabel.status();
    if (absl::Status s = CheckLabel(r, *alabel); !s.ok()) return s;
    label = *std::move(alabel);
  }
  if (labels.size() < r.min_labels) return Refuse(r, kTwoLabelsRule);
  if (AllDigits(labels.back())) return Refuse(r, kNumericTopRule);
  std::string result = absl::StrJoin(labels, ".");
  if (result.size() > kMaxDomainOctets) return Refuse(r, kNameTooLongRule);
  return result;
}

bool IsDigitsAndDots(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return IsDigit(c) || c == '.';
  });
}

absl::StatusOr<std::string> NormalizeIpv6(const NameRules& r,
                                          std::string_view literal) {
  in6_addr addr;
  char buffer[INET6_ADDRSTRLEN];
  if (inet_pton(AF_INET6, std::string(literal).c_str(), &addr) != 1 ||
      inet_ntop(AF_INET6, &addr, buffer, sizeof buffer) == nullptr) {
    return Refuse(r, absl::StrCat("\"", text::Shorten(literal, 48),
                                  "\" is not a valid IPv6 address"));
  }
  return absl::StrCat("[", buffer, "]");
}

absl::StatusOr<std::string> NormalizeIpv4(const NameRules& r,
                                          std::string_view literal) {
  in_addr addr;
  char buffer[INET_ADDRSTRLEN];
  // inet_pton takes exactly four decimal parts without leading zeros, which
  // keeps octal and shortened forms ("10.1") out.
  if (inet_pton(AF_INET, std::string(literal).c_str(), &addr) != 1 ||
      inet_ntop(AF_INET, &addr, buffer, sizeof buffer) == nullptr) {
    return Refuse(r, absl::StrCat("\"", text::Shorten(literal, 48),
                                  "\" is not a valid IPv4 address"));
  }
  return std::string(buffer);
}

absl::StatusOr<std::string> NormalizeHostPort(const NameRules& r,
                                              std::string_view input) {
  std::string host;
  std::optional<std::string_view> port;
  if (input.front() == '[') {
    std::size_t close = input.find(']');
    if (close == std::string_view::npos) {
      return Refuse(r, "an IPv6 literal needs a closing \"]\"");
    }
    std::string_view rest = input.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        return Refuse(r, "only \":PORT\" may follow an IPv6 literal");
      }
      port = rest.substr(1);
    }
    absl::StatusOr<std::string> v6 =
        NormalizeIpv6(r, input.substr(1, close - 1));
    if (!v6.ok()) return v6.status();
    host = *std::move(v6);
  } else {
    std::size_t colons = std::count(input.begin(), input.end(), ':');
    if (colons > 1) {
      return Refuse(r,
                    "an IPv6 literal must be in brackets, e.g. "
                    "[2001:db8::1]:5269");
    }
    std::string_view name = input;
    if (colons == 1) {
      std::size_t colon = input.find(':');
      name = input.substr(0, colon);
      port = input.substr(colon + 1);
    }
    if (name.find_first_of("[]") != std::string_view::npos) {
      return Refuse(r,
                    "brackets belong only around an IPv6 literal, e.g. "
                    "[2001:db8::1]");
    }
    absl::StatusOr<std::string> normal =
        IsDigitsAndDots(name) ? NormalizeIpv4(r, name) : NormalizeName(r, name);
    if (!normal.ok()) return normal.status();
    host = *std::move(normal);
  }
  if (!port) return host;
  uint32_t number = 0;
  if (port->empty() || port->size() > 5 ||
      !std::all_of(port->begin(), port->end(), IsDigit) ||
      std::from_chars(port->data(), port->data() + port->size(), number).ec !=
          std::errc() ||
      number < 1 || number > 65535) {
    return Refuse(r, kPortRule);
  }
  return absl::StrCat(host, ":", number);
}

}  // namespace

absl::StatusOr<std::string> NormalizeDomain(std::string_view field,
                                            std::string_view input) {
  NameRules rules{field, input, 2, "a domain must not be empty"};
  return NormalizeName(rules, input);
}

absl::StatusOr<std::string> NormalizeAdditionalDomain(std::string_view field,
                                                      std::string_view input) {
  if (input.find('*') == std::string_view::npos) {
    return NormalizeDomain(field, input);
  }
  NameRules rules{field, input, 2, kWildcardFormRule};
  if (!input.starts_with("*.")) return Refuse(rules, kWildcardFormRule);
  std::string_view base = input.substr(2);
  if (base.find('*') != std::string_view::npos) {
    return Refuse(rules, kWildcardFormRule);
  }
  rules.empty_rule = kWildcardFormRule;
  absl::StatusOr<std::string> normal = NormalizeName(rules, base);
  if (!normal.ok()) {
    absl::string_view message = normal.status().message();
    if (std::string_view(message.data(), message.size())
            .ends_with(kTwoLabelsRule)) {
      return Refuse(rules, kWildcardBaseRule);
    }
    return normal.status();
  }
  std::string wildcard = absl::StrCat("*.", *normal);
  if (wildcard.size() > kMaxDomainOctets) {
    return Refuse(rules, kNameTooLongRule);
  }
  return wildcard;
}

bool IsWildcardDomain(std::string_view domain) {
  return domain.starts_with("*.");
}

bool WildcardCovers(std::string_view wildcard, std::string_view domain) {
  if (!IsWildcardDomain(wildcard)) return false;
  std::string_view dot_base = wildcard.substr(1);
  return domain.size() > dot_base.size() && domain.ends_with(dot_base);
}

absl::StatusOr<std::string> NormalizeProxyFqdn(std::string_view whole) {
  if (whole.empty()) return std::string();
  NameRules r{kProxyField, whole, 1, "the host name must not be empty"};
  if (absl::Status s = CheckCharacters(r, whole); !s.ok()) return s;
  std::string_view input = whole;
  std::string scheme_prefix;
  if (std::size_t scheme_end = whole.find("://");
      scheme_end != std::string_view::npos) {
    std::string scheme =
        absl::AsciiStrToLower(absl::string_view(whole.data(), scheme_end));
    if (scheme != "tls") {
      return Refuse(r, kSchemeRule);
    }
    scheme_prefix = "tls://";
    input = whole.substr(scheme_end + 3);
    if (input.empty()) return Refuse(r, "the host name must not be empty");
  }
  absl::StatusOr<std::string> host_port = NormalizeHostPort(r, input);
  if (!host_port.ok()) return host_port.status();
  return scheme_prefix + *host_port;
}

ProxyTarget ParseProxyFqdn(std::string_view canonical) {
  ProxyTarget target;
  if (canonical.starts_with("tls://")) {
    target.direct_tls = true;
    target.port = kProxyDirectTlsDefaultPort;
    canonical.remove_prefix(6);
  }
  std::string_view port;
  if (!canonical.empty() && canonical.front() == '[') {
    std::size_t close = canonical.find(']');
    target.host = std::string(canonical.substr(1, close - 1));
    if (close + 1 < canonical.size()) port = canonical.substr(close + 2);
  } else if (std::size_t colon = canonical.find(':');
             colon != std::string_view::npos) {
    target.host = std::string(canonical.substr(0, colon));
    port = canonical.substr(colon + 1);
  } else {
    target.host = std::string(canonical);
  }
  uint32_t number = 0;
  if (!port.empty() &&
      std::from_chars(port.data(), port.data() + port.size(), number).ec ==
          std::errc() &&
      number >= 1 && number <= 65535) {
    target.port = static_cast<uint16_t>(number);
  }
  return target;
}

}  // namespace xmppfed::policy
