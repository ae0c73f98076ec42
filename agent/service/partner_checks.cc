#include "agent/service/partner_checks.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "agent/errors/field_error.h"
#include "agent/policy/domain.h"
#include "google/protobuf/util/message_differencer.h"

namespace xmppfed::service {

absl::StatusOr<std::string> NormalizeIdentity(std::string_view input) {
  if (input.find_first_of("*?[") != std::string_view::npos) {
    return errors::InvalidField(
        "identity", input,
        absl::StrCat("wildcards are not allowed in an identity; use --filter '",
                     std::string(input), "'"));
  }
  return policy::NormalizeDomain("identity", input);
}

namespace {

// The partner's domains with the field each belongs to.
std::vector<std::pair<std::string_view, const std::string*>> FieldDomains(
    const v1::Partner& partner) {
  std::vector<std::pair<std::string_view, const std::string*>> domains;
  domains.emplace_back("identity", &partner.identity());
  for (const std::string& domain : partner.additional_domains()) {
    domains.emplace_back("additionalDomains", &domain);
  }
  return domains;
}

}  // namespace

absl::StatusOr<std::optional<CoveringOwner>> FindCoveringOwner(
    std::string_view domain, const DomainOwnerLookup& find_owner) {
  absl::StatusOr<std::optional<std::string>> owner = find_owner(domain);
  if (!owner.ok()) return owner.status();
  if (owner->has_value()) {
    return CoveringOwner{std::string(domain), **std::move(owner)};
  }
  // "*.b.c" for every suffix "b.c" of two labels or more: a wildcard's base
  // has at least two (policy::NormalizeAdditionalDomain).
  for (std::size_t dot = domain.find('.'); dot != std::string_view::npos;
       dot = domain.find('.', dot + 1)) {
    std::string_view suffix = domain.substr(dot + 1);
    if (suffix.find('.') == std::string_view::npos) break;
    std::string wildcard = "*." + std::string(suffix);
    owner = find_owner(wildcard);
    if (!owner.ok()) return owner.status();
    if (owner->has_value()) {
      return CoveringOwner{std::move(wildcard), **std::move(owner)};
    }
  }
  return std::optional<CoveringOwner>();
}

absl::Status CheckNoLocalDomain(const v1::Partner& partner,
                                const std::vector<std::string>& local_domains) {
  for (const auto& [field, domain] : FieldDomains(partner)) {
    if (std::find(local_domains.begin(), local_domains.end(), *domain) !=
        local_domains.end()) {
      return errors::InvalidField(
          field, *domain,
          "is a local domain of this agent (--domain) and cannot be a partner");
    }
    for (const std::string& local : local_domains) {
      if (policy::WildcardCovers(*domain, local)) {
        return errors::InvalidField(
            field, *domain,
            absl::StrCat("covers ", local,
                         ", a local domain of this agent (--domain), which "
                         "cannot be a partner's"));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status CheckDomainsFree(const v1::Partner& partner,
                              const std::vector<std::string>& local_domains,
                              const DomainOwnerLookup& find_owner) {
  if (absl::Status local = CheckNoLocalDomain(partner, local_domains);
      !local.ok()) {
    return local;
  }
  for (const auto& [field, domain] : FieldDomains(partner)) {
    absl::StatusOr<std::optional<std::string>> owner = find_owner(*domain);
    if (!owner.ok()) return owner.status();
    if (owner->has_value() && **owner != partner.identity()) {
      std::string rule =
          **owner == *domain
              ? "is already a partner"
              : absl::StrCat("already belongs to partner ", **owner);
      return errors::FieldError(
          absl::StatusCode::kAlreadyExists, field, *domain, rule,
          absl::StrCat(std::string(field), "=", *domain, ": ", rule), **owner);
    }
  }
  return absl::OkStatus();
}

absl::Status PartnerNotFound(const std::string& identity,
                             const DomainOwnerLookup& find_owner) {
  std::string rule = "no partner has this identity";
  absl::StatusOr<std::optional<CoveringOwner>> owner =
      FindCoveringOwner(identity, find_owner);
  if (owner.ok() && owner->has_value()) {
    rule = (*owner)->matched == identity
               ? absl::StrCat(
                     "no partner has this identity; it is an additional "
                     "domain of partner ",
                     (*owner)->identity)
               : absl::StrCat(
                     "no partner has this identity; it is covered by "
                     "additional domain ",
                     (*owner)->matched, " of partner ", (*owner)->identity);
  }
  return errors::FieldError(absl::StatusCode::kNotFound, "identity", identity,
                            rule,
                            absl::StrCat("identity=", identity, ": ", rule));
}

bool SameConfiguration(const v1::Partner& a, const v1::Partner& b) {
  v1::Partner a_config = a;
  v1::Partner b_config = b;
  for (v1::Partner* config : {&a_config, &b_config}) {
    config->clear_revision();
    config->clear_created_at();
    config->clear_modified_at();
  }
  return google::protobuf::util::MessageDifferencer::Equals(a_config, b_config);
}

}  // namespace xmppfed::service
