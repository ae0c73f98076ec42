#include "agent/service/partner_manager.h"

#include <algorithm>
#include <optional>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "agent/errors/field_error.h"
#include "agent/policy/domain.h"
#include "agent/policy/partner_rules.h"
#include "agent/runtime/log.h"
#include "agent/service/partner_checks.h"

namespace xmppfed::service {

PartnerManager::PartnerManager(store::Store* store,
                               std::vector<std::string> local_domains)
    : store_(store), local_domains_(std::move(local_domains)) {}

DomainOwnerLookup PartnerManager::StoreLookup() const {
  return [store = store_](std::string_view domain) {
    return store->FindDomainOwner(domain);
  };
}

absl::Status PartnerManager::CheckDomainsFree(
    const v1::Partner& partner) const {
  return service::CheckDomainsFree(partner, local_domains_, StoreLookup());
}

absl::Status PartnerManager::NotFound(const std::string& identity) const {
  return PartnerNotFound(identity, StoreLookup());
}

absl::StatusOr<v1::PartnerChange> PartnerManager::Create(
    const v1::NewPartnerRequest& request) {
  absl::StatusOr<std::string> identity = NormalizeIdentity(request.identity());
  if (!identity.ok()) return identity.status();
  v1::Partner partner = policy::DefaultPartner(*identity);
  absl::StatusOr<std::vector<std::string>> warnings =
      policy::ApplyPartnerFields(request.fields(), &partner);
  if (!warnings.ok()) return warnings.status();

  std::lock_guard<std::mutex> lock(write_mutex_);
  if (absl::Status free = CheckDomainsFree(partner); !free.ok()) return free;
  v1::PartnerChange change;
  for (const std::string& warning : *warnings) change.add_warnings(warning);
  if (request.what_if()) {
    *change.mutable_partner() = partner;
    return change;
  }
  absl::StatusOr<v1::Partner> created = store_->CreatePartner(partner);
  if (!created.ok()) return created.status();
  runtime::LogNotice("partner.created",
                     absl::StrCat("identity=", created->identity(),
                                  " revision=", created->revision()));
  *change.mutable_partner() = *std::move(created);
  change.set_applied(true);
  return change;
}

absl::StatusOr<v1::PartnerChange> PartnerManager::Set(
    const v1::SetPartnerRequest& request) {
  absl::StatusOr<std::string> identity = NormalizeIdentity(request.identity());
  if (!identity.ok()) return identity.status();

  std::lock_guard<std::mutex> lock(write_mutex_);
  absl::StatusOr<std::optional<v1::Partner>> current =
      store_->GetPartner(*identity);
  if (!current.ok()) return current.status();
  if (!current->has_value()) return NotFound(*identity);
  if (request.has_expected_revision() &&
      request.expected_revision() != (*current)->revision()) {
    std::string rule =
        absl::StrCat("the partner is at revision ", (*current)->revision(),
                     "; it changed since it was read");
    return errors::FieldError(
        absl::StatusCode::kFailedPrecondition, "revision",
        absl::StrCat(request.expected_revision()), rule,
        absl::StrCat("revision=", request.expected_revision(), ": ", rule));
  }
  v1::Partner updated = **current;
  absl::StatusOr<std::vector<std::string>> warnings =
      policy::ApplyPartnerFields(request.fields(), &updated);
  if (!warnings.ok()) return warnings.status();
  if (absl::Status free = CheckDomainsFree(updated); !free.ok()) return free;

  v1::PartnerChange change;
  for (const std::string& warning : *warnings) change.add_warnings(warning);
  *change.mutable_before() = **current;
  bool unchanged = SameConfiguration(updated, **current);
  if (request.what_if() || unchanged) {
    *change.mutable_partner() = unchanged ? **current : updated;
    return change;
  }
  absl::StatusOr<v1::Partner> stored =
      store_->UpdatePartner(updated, (*current)->revision());
  if (!stored.ok()) return stored.status();
  runtime::LogNotice("partner.changed",
                     absl::StrCat("identity=", stored->identity(),
                                  " revision=", stored->revision()));
  *change.mutable_partner() = *std::move(stored);
  change.set_applied(true);
  return change;
}

absl::Status PartnerManager::Get(
    const v1::GetPartnersRequest& request,
    const std::function<bool(const v1::Partner&)>& visit) {
  if (!request.identity().empty() && !request.filter().empty()) {
    return errors::InvalidField("filter", request.filter(),
                                "give an identity or a filter, not both");
  }
  if (!request.identity().empty()) {
    absl::StatusOr<std::string> identity =
        NormalizeIdentity(request.identity());
    if (!identity.ok()) return identity.status();
    absl::StatusOr<std::optional<v1::Partner>> partner =
        store_->GetPartner(*identity);
    if (!partner.ok()) return partner.status();
    if (!partner->has_value()) return NotFound(*identity);
    visit(**partner);
    return absl::OkStatus();
  }
  std::string glob;
  if (!request.filter().empty()) {
    absl::StatusOr<std::string> normal =
        policy::NormalizeGlob(request.filter());
    if (!normal.ok()) return normal.status();
    glob = *std::move(normal);
  }
  return store_->ForEachPartner(glob, visit);
}

absl::StatusOr<v1::RemovePartnersReply> PartnerManager::Remove(
    const v1::RemovePartnersRequest& request) {
  std::vector<std::string> identities;
  std::set<std::string> seen;
  for (const std::string& input : request.identities()) {
    absl::StatusOr<std::string> identity = NormalizeIdentity(input);
    if (!identity.ok()) return identity.status();
    if (seen.insert(*identity).second) identities.push_back(*identity);
  }

  std::lock_guard<std::mutex> lock(write_mutex_);
  v1::RemovePartnersReply reply;
  if (!request.filter().empty()) {
    absl::StatusOr<std::string> glob = policy::NormalizeGlob(request.filter());
    if (!glob.ok()) return glob.status();
    absl::Status listed =
        store_->ForEachPartner(*glob, [&](const v1::Partner& partner) {
          if (seen.insert(partner.identity()).second) {
            identities.push_back(partner.identity());
          }
          return true;
        });
    if (!listed.ok()) return listed;
  }
  if (identities.empty()) return reply;
  if (request.what_if()) {
    for (const std::string& identity : identities) {
      absl::StatusOr<std::optional<v1::Partner>> partner =
          store_->GetPartner(identity);
      if (!partner.ok()) return partner.status();
      if (!partner->has_value()) return NotFound(identity);
      *reply.add_removed() = **partner;
    }
    return reply;
  }
  absl::StatusOr<std::vector<v1::Partner>> removed =
      store_->DeletePartners(identities);
  if (!removed.ok()) {
    if (removed.status().code() == absl::StatusCode::kNotFound) {
      std::optional<v1::ErrorDetail> detail =
          errors::GetErrorDetail(removed.status());
      if (detail) return NotFound(detail->value());
    }
    return removed.status();
  }
  for (v1::Partner& partner : *removed) {
    runtime::LogNotice("partner.removed",
                       absl::StrCat("identity=", partner.identity()));
    *reply.add_removed() = std::move(partner);
  }
  reply.set_applied(true);
  return reply;
}

}  // namespace xmppfed::service
