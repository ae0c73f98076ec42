#include "agent/edge/tls/identity.h"

#include <idn2.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>
#include <vector>

namespace xmppfed::edge::tls {
namespace {

constexpr char kOidXmppAddr[] = "1.3.6.1.5.5.7.8.5";
constexpr char kOidDnsSrv[] = "1.3.6.1.5.5.7.8.7";
constexpr std::string_view kXmppServerService = "_xmpp-server.";

char Lower(char c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

// Lower-cased ASCII without a trailing dot; "" when not plain ASCII
// (presented DNS-IDs and SRV-IDs are IA5Strings of A-labels).
std::string Canonical(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    if (static_cast<unsigned char>(c) >= 0x80 || c == '\0') return "";
    out += Lower(c);
  }
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

std::string_view AsView(const ASN1_STRING* s) {
  if (s == nullptr) return {};
  return std::string_view(
      reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
      static_cast<size_t>(ASN1_STRING_length(s)));
}

// The OID of an otherName in dotted form.
std::string OidText(const ASN1_OBJECT* oid) {
  char buffer[80];
  int n = OBJ_obj2txt(buffer, sizeof buffer, oid, /*no_name=*/1);
  return n > 0 && static_cast<size_t>(n) < sizeof buffer ? std::string(buffer)
                                                         : "";
}

// A UTF-8 domain (an XmppAddr may carry U-labels) as lower-case A-labels;
// "" when it is not a valid IDNA2008 name.
std::string ToALabels(std::string_view utf8) {
  std::string text(utf8);
  if (text.find('\0') != std::string::npos) return "";
  bool ascii = true;
  for (char c : text) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) return Canonical(text);
  uint8_t* raw = nullptr;
  int rc = idn2_lookup_u8(reinterpret_cast<const uint8_t*>(text.c_str()), &raw,
                          IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
  std::unique_ptr<uint8_t, void (*)(void*)> owned(raw, idn2_free);
  if (rc != IDN2_OK || raw == nullptr) return "";
  return Canonical(reinterpret_cast<const char*>(raw));
}

struct GeneralNamesDeleter {
  void operator()(GENERAL_NAMES* names) const { GENERAL_NAMES_free(names); }
};

}  // namespace

std::string_view IdentityMatchName(IdentityMatch match) {
  switch (match) {
    case IdentityMatch::kDnsId:
      return "DNS-ID";
    case IdentityMatch::kSrvId:
      return "SRV-ID";
    case IdentityMatch::kXmppAddr:
      return "XmppAddr";
    case IdentityMatch::kCommonName:
      return "CN";
    case IdentityMatch::kNone:
      break;
  }
  return "none";
}

bool DnsIdMatches(std::string_view pattern, std::string_view domain) {
  std::string p = Canonical(pattern);
  std::string d = Canonical(domain);
  if (p.empty() || d.empty()) return false;
  if (p.find('*') == std::string::npos) return p == d;
  // "*" only as the whole left-most label ...
  if (p.size() < 2 || p[0] != '*' || p[1] != '.') return false;
  std::string_view rest = std::string_view(p).substr(2);
  if (rest.find('*') != std::string_view::npos) return false;
  // ... with at least two labels after it (never "*.test") ...
  if (rest.find('.') == std::string_view::npos) return false;
  // ... standing for exactly one non-empty label of the domain.
  size_t dot = d.find('.');
  if (dot == 0 || dot == std::string::npos) return false;
  return std::string_view(d).substr(dot + 1) == rest;
}

IdentityMatch MatchXmppServerIdentity(X509* cert, std::string_view domain) {
  if (cert == nullptr) return IdentityMatch::kNone;
  std::string reference = Canonical(domain);
  if (reference.empty()) return IdentityMatch::kNone;

  std::unique_ptr<GENERAL_NAMES, GeneralNamesDeleter> names(
      static_cast<GENERAL_NAMES*>(
          X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  bool has_san_ids = false;
  bool dns = false, srv = false, xmpp = false;
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type == GEN_DNS) {
      has_san_ids = true;
      dns = dns || DnsIdMatches(AsView(name->d.dNSName), reference);
    } else if (name->type == GEN_URI) {
      has_san_ids = true;
    } else if (name->type == GEN_OTHERNAME) {
      const OTHERNAME* other = name->d.otherName;
      std::string oid = OidText(other->type_id);
      const ASN1_TYPE* value = other->value;
      if (oid == kOidDnsSrv) {
        has_san_ids = true;
        if (value != nullptr && value->type == V_ASN1_IA5STRING) {
          std::string srv_id = Canonical(AsView(value->value.ia5string));
          srv = srv || srv_id == std::string(kXmppServerService) + reference;
        }
      } else if (oid == kOidXmppAddr) {
        has_san_ids = true;
        if (value != nullptr && value->type == V_ASN1_UTF8STRING) {
          // A server's XmppAddr is a bare domain: a JID with a localpart
          // or resource names something else and matches nothing.
          xmpp =
              xmpp || ToALabels(AsView(value->value.utf8string)) == reference;
        }
      }
    }
  }
  if (dns) return IdentityMatch::kDnsId;
  if (srv) return IdentityMatch::kSrvId;
  if (xmpp) return IdentityMatch::kXmppAddr;
  if (has_san_ids) return IdentityMatch::kNone;

  // No subjectAltName identifiers: the most specific (last) CN, if any.
  X509_NAME* subject = X509_get_subject_name(cert);
  int index = -1, last = -1;
  while ((index = X509_NAME_get_index_by_NID(subject, NID_commonName, index)) >=
         0) {
    last = index;
  }
  if (last < 0) return IdentityMatch::kNone;
  const ASN1_STRING* cn =
      X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, last));
  unsigned char* utf8 = nullptr;
  int length = ASN1_STRING_to_UTF8(&utf8, cn);
  if (length < 0) return IdentityMatch::kNone;
  std::string text(reinterpret_cast<char*>(utf8), static_cast<size_t>(length));
  OPENSSL_free(utf8);
  return DnsIdMatches(text, reference) ? IdentityMatch::kCommonName
                                       : IdentityMatch::kNone;
}

}  // namespace xmppfed::edge::tls
