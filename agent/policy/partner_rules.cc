#include "agent/policy/partner_rules.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "agent/errors/field_error.h"
#include "agent/policy/domain.h"
#include "agent/policy/negotiation.h"
#include "agent/policy/text.h"
#include "xmppfed/v1/spelling.h"

namespace xmppfed::policy {
namespace {

constexpr std::string_view kDomainsField = "additionalDomains";

absl::Status CheckDescription(const std::string& description) {
  auto refuse = [&](std::string_view rule) {
    return errors::InvalidField("description", text::ValueForError(description),
                                rule);
  };
  std::optional<std::vector<char32_t>> points = text::DecodeUtf8(description);
  if (!points) return refuse("not valid UTF-8");
  if (std::any_of(points->begin(), points->end(), text::IsControl)) {
    return refuse(
        "control characters (such as tab or newline) are not "
        "allowed");
  }
  if (std::any_of(points->begin(), points->end(), text::IsBidiControl)) {
    return refuse(
        "bidirectional formatting characters (such as U+202E) are not "
        "allowed: they make text read as something other than it is");
  }
  if (points->size() > kMaxDescriptionCharacters) {
    return refuse(
        absl::StrCat("at most ", kMaxDescriptionCharacters, " characters"));
  }
  return absl::OkStatus();
}

// The list after the replace, add and remove edits of `fields`, normalised,
// deduplicated and sorted.
absl::StatusOr<std::set<std::string>> EditDomains(
    const v1::PartnerFields& fields, const v1::Partner& partner) {
  std::set<std::string> domains;
  if (fields.has_additional_domains()) {
    for (const std::string& input : fields.additional_domains().domains()) {
      absl::StatusOr<std::string> domain =
          NormalizeAdditionalDomain(kDomainsField, input);
      if (!domain.ok()) return domain.status();
      domains.insert(*std::move(domain));
    }
  } else {
    domains.insert(partner.additional_domains().begin(),
                   partner.additional_domains().end());
  }
  std::set<std::string> added;
  for (const std::string& input : fields.add_additional_domains()) {
    absl::StatusOr<std::string> domain =
        NormalizeAdditionalDomain(kDomainsField, input);
    if (!domain.ok()) return domain.status();
    added.insert(*domain);
    domains.insert(*std::move(domain));
  }
  for (const std::string& input : fields.remove_additional_domains()) {
    absl::StatusOr<std::string> domain =
        NormalizeAdditionalDomain(kDomainsField, input);
    if (!domain.ok()) return domain.status();
    if (added.count(*domain) != 0) {
      return errors::InvalidField(
          kDomainsField, text::ValueForError(input),
          absl::StrCat(*domain,
                       " is both added and removed in one change; give it "
                       "to one of the two"));
    }
    if (domains.erase(*domain) == 0) {
      return errors::InvalidField(
          kDomainsField, text::ValueForError(input),
          absl::StrCat("cannot remove ", *domain,
                       ": it is not one of the partner's additional domains"));
    }
  }
  if (domains.count(partner.identity()) != 0) {
    return errors::InvalidField(
        kDomainsField, partner.identity(),
        "the partner's identity cannot also be one of its additional domains");
  }
  if (domains.size() > kMaxAdditionalDomains) {
    return errors::InvalidField(
        kDomainsField, absl::StrCat(domains.size(), " domains"),
        absl::StrCat("a partner has at most ", kMaxAdditionalDomains,
                     " additional domains"));
  }
  return domains;
}

absl::Status CheckPartnerType(v1::PartnerType type) {
  if (!v1::PartnerTypeName(type).empty()) return absl::OkStatus();
  return errors::InvalidField(
      "partnerType", absl::StrCat(static_cast<int>(type)),
      "must be Federated, PublicVerified or PublicUnverified");
}

absl::Status CheckNegotiationValue(std::string_view field,
                                   v1::Negotiation value) {
  if (!v1::NegotiationName(value).empty()) return absl::OkStatus();
  return errors::InvalidField(field, absl::StrCat(static_cast<int>(value)),
                              kUndefinedNegotiationRule);
}

}  // namespace

v1::Partner DefaultPartner(std::string identity) {
  v1::Partner partner;
  partner.set_identity(std::move(identity));
  partner.set_description("");
  partner.set_partner_type(v1::PARTNER_TYPE_PUBLIC_UNVERIFIED);
  partner.set_tls_negotiation(v1::NEGOTIATION_REQUIRED);
  partner.set_sasl_negotiation(v1::NEGOTIATION_REQUIRED);
  partner.set_support_dialback_negotiation(true);
  partner.set_proxy_fqdn("");
  partner.set_enable_keep_alive(true);
  partner.set_connection_limit(0);
  partner.set_revision(0);
  return partner;
}

absl::StatusOr<std::vector<std::string>> ApplyPartnerFields(
    const v1::PartnerFields& fields, v1::Partner* partner) {
  if (fields.has_description()) {
    if (absl::Status s = CheckDescription(fields.description()); !s.ok()) {
      return s;
    }
    partner->set_description(fields.description());
  }
  if (fields.has_additional_domains() ||
      !fields.add_additional_domains().empty() ||
      !fields.remove_additional_domains().empty()) {
    absl::StatusOr<std::set<std::string>> domains =
        EditDomains(fields, *partner);
    if (!domains.ok()) return domains.status();
    partner->clear_additional_domains();
    for (const std::string& domain : *domains) {
      partner->add_additional_domains(domain);
    }
  }
  if (fields.has_partner_type()) {
    if (absl::Status s = CheckPartnerType(fields.partner_type()); !s.ok()) {
      return s;
    }
    partner->set_partner_type(fields.partner_type());
  }
  if (fields.has_tls_negotiation()) {
    if (absl::Status s =
            CheckNegotiationValue("tlsNegotiation", fields.tls_negotiation());
        !s.ok()) {
      return s;
    }
    partner->set_tls_negotiation(fields.tls_negotiation());
  }
  if (fields.has_sasl_negotiation()) {
    if (absl::Status s =
            CheckNegotiationValue("saslNegotiation", fields.sasl_negotiation());
        !s.ok()) {
      return s;
    }
    partner->set_sasl_negotiation(fields.sasl_negotiation());
  }
  if (fields.has_support_dialback_negotiation()) {
    partner->set_support_dialback_negotiation(
        fields.support_dialback_negotiation());
  }
  if (fields.has_enable_keep_alive()) {
    partner->set_enable_keep_alive(fields.enable_keep_alive());
  }
  if (fields.has_proxy_fqdn()) {
    absl::StatusOr<std::string> proxy = NormalizeProxyFqdn(fields.proxy_fqdn());
    if (!proxy.ok()) return proxy.status();
    partner->set_proxy_fqdn(*std::move(proxy));
  }
  if (fields.has_connection_limit()) {
    if (fields.connection_limit() > kMaxPartnerConnectionLimit) {
      return errors::InvalidField(
          "connectionLimit", absl::StrCat(fields.connection_limit()),
          absl::StrCat("at most ", kMaxPartnerConnectionLimit,
                       " (0 means the gateway's partnerConnectionLimit)"));
    }
    partner->set_connection_limit(fields.connection_limit());
  }
  // XEP-0368: a tls:// proxyFqdn is TLS from the first byte, which a
  // partner without TLS never gets (whichever of the two fields changed).
  if (partner->tls_negotiation() == v1::NEGOTIATION_NOT_SUPPORTED &&
      ParseProxyFqdn(partner->proxy_fqdn()).direct_tls) {
    return errors::InvalidField(
        "proxyFqdn", partner->proxy_fqdn(),
        "a tls:// proxyFqdn means direct TLS (XEP-0368), which tlsNegotiation "
        "NotSupported forbids; give the host without tls:// or allow TLS");
  }
  std::vector<std::string> warnings;
  if (absl::Status s = CheckNegotiation(*partner, &warnings); !s.ok()) {
    return s;
  }
  // Warn about values the caller gave, not about defaults or stored values
  // it left alone (a plain new-partner is TLS and SASL Required with
  // dialback on, a row the table warns about).
  bool negotiation_given =
      fields.has_tls_negotiation() || fields.has_sasl_negotiation();
  bool dialback_given = fields.has_support_dialback_negotiation();
  std::erase_if(warnings, [&](const std::string& warning) {
    bool about_dialback = warning == kDialbackInoperativeWarning;
    return !negotiation_given && !(about_dialback && dialback_given);
  });
  return warnings;
}

}  // namespace xmppfed::policy
