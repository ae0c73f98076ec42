#include "agent/service/partner_manager.h"

#include <algorithm>
#include <optional>
#include <set>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "agent/audit/field_changes.h"
#include "agent/audit/security_log.h"
#include "agent/errors/field_error.h"
#include "agent/policy/domain.h"
#include "agent/policy/partner_rules.h"
#include "agent/runtime/log.h"
#include "agent/service/partner_checks.h"
#include "agent/service/snapshot_reads.h"

namespace xmppfed::service {

namespace {

// The identity as an audit entry names it: normalised when it is a domain,
// else as given (a refused attempt may name anything).
std::string AuditedIdentity(const std::string& input) {
  absl::StatusOr<std::string> identity = NormalizeIdentity(input);
  return identity.ok() ? *identity : input;
}

// "description,tlsNegotiation": what a log line says changed.
std::string ChangedFields(const v1::AuditEntry& entry) {
  std::vector<std::string> fields;
  for (const v1::AuditChange& change : entry.changes()) {
    fields.push_back(change.field());
  }
  return absl::StrJoin(fields, ",");
}

// The info line of a committed change, with its caller and fields, and the
// warnings of the security-relevant ones.
void LogChange(std::string_view event, std::string_view details,
               const v1::AuditEntry& entry) {
  runtime::LogNotice(event, absl::StrCat(std::string(details),
                                         " changed=", ChangedFields(entry), " ",
                                         audit::CallerForLog(entry.caller())));
  audit::LogSecurityRelevantChanges(entry);
}

}  // namespace

PartnerManager::PartnerManager(store::Store* store,
                               std::vector<std::string> local_domains,
                               audit::AuditTrail* trail,
                               const snapshot::PolicySource* policy)
    : store_(store),
      local_domains_(std::move(local_domains)),
      trail_(trail),
      policy_(policy) {}

DomainOwnerLookup PartnerManager::StoreLookup() const {
  return [store = store_](std::string_view domain) {
    return store->FindDomainOwner(domain);
  };
}

absl::Status PartnerManager::CheckDomainsFree(const v1::Partner& partner,
                                              bool what_if) const {
  // A change that commits learns from the store itself whether a domain is
  // taken (the same ALREADY_EXISTS): looking first costs a read per domain,
  // a network round trip each on etcd.
  if (!what_if) return CheckNoLocalDomain(partner, local_domains_);
  return service::CheckDomainsFree(partner, local_domains_, StoreLookup());
}

absl::Status PartnerManager::NotFound(const std::string& identity) const {
  return PartnerNotFound(identity, StoreLookup());
}

absl::StatusOr<v1::PartnerChange> PartnerManager::Create(
    const v1::NewPartnerRequest& request, const audit::Actor& actor) {
  absl::StatusOr<v1::PartnerChange> change = CreateAudited(request, actor);
  if (!change.ok() && !request.what_if()) {
    trail_->RecordRefused(actor, {AuditedIdentity(request.identity())},
                          change.status());
  }
  return change;
}

absl::StatusOr<v1::PartnerChange> PartnerManager::CreateAudited(
    const v1::NewPartnerRequest& request, const audit::Actor& actor) {
  absl::StatusOr<std::string> identity = NormalizeIdentity(request.identity());
  if (!identity.ok()) return identity.status();
  v1::Partner partner = policy::DefaultPartner(*identity);
  absl::StatusOr<std::vector<std::string>> warnings =
      policy::ApplyPartnerFields(request.fields(), &partner);
  if (!warnings.ok()) return warnings.status();

  std::lock_guard<std::mutex> lock(write_mutex_);
  if (absl::Status free = CheckDomainsFree(partner, request.what_if());
      !free.ok()) {
    return free;
  }
  v1::PartnerChange change;
  for (const std::string& warning : *warnings) change.add_warnings(warning);
  if (request.what_if()) {
    *change.mutable_partner() = partner;
    return change;
  }
  v1::AuditEntry entry = trail_->Begin(actor, {partner.identity()});
  audit::AddChanges(audit::PartnerChanges(nullptr, &partner), &entry);
  absl::StatusOr<v1::Partner> created = store_->CreatePartner(partner, entry);
  if (!created.ok()) return created.status();
  LogChange("partner.created",
            absl::StrCat("identity=", created->identity(),
                         " revision=", created->revision()),
            entry);
  *change.mutable_partner() = *std::move(created);
  change.set_applied(true);
  return change;
}

absl::StatusOr<v1::PartnerChange> PartnerManager::Set(
    const v1::SetPartnerRequest& request, const audit::Actor& actor) {
  absl::StatusOr<v1::PartnerChange> change = SetAudited(request, actor);
  if (!change.ok() && !request.what_if()) {
    trail_->RecordRefused(actor, {AuditedIdentity(request.identity())},
                          change.status());
  }
  return change;
}

absl::StatusOr<v1::PartnerChange> PartnerManager::SetAudited(
    const v1::SetPartnerRequest& request, const audit::Actor& actor) {
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
  if (absl::Status free = CheckDomainsFree(updated, request.what_if());
      !free.ok()) {
    return free;
  }

  v1::PartnerChange change;
  for (const std::string& warning : *warnings) change.add_warnings(warning);
  *change.mutable_before() = **current;
  bool unchanged = SameConfiguration(updated, **current);
  if (request.what_if() || unchanged) {
    *change.mutable_partner() = unchanged ? **current : updated;
    return change;
  }
  v1::AuditEntry entry = trail_->Begin(actor, {updated.identity()});
  audit::AddChanges(audit::PartnerChanges(&**current, &updated), &entry);
  absl::StatusOr<v1::Partner> stored =
      store_->UpdatePartner(updated, (*current)->revision(), entry);
  if (!stored.ok()) return stored.status();
  LogChange("partner.changed",
            absl::StrCat("identity=", stored->identity(),
                         " revision=", stored->revision()),
            entry);
  *change.mutable_partner() = *std::move(stored);
  change.set_applied(true);
  return change;
}

absl::Status PartnerManager::Get(
    const v1::GetPartnersRequest& request,
    const std::function<bool(const v1::Partner&)>& visit, std::string* stale) {
  if (!request.identity().empty() && !request.filter().empty()) {
    return errors::InvalidField("filter", request.filter(),
                                "give an identity or a filter, not both");
  }
  std::string identity;
  std::string glob;
  if (!request.identity().empty()) {
    absl::StatusOr<std::string> normal = NormalizeIdentity(request.identity());
    if (!normal.ok()) return normal.status();
    identity = *std::move(normal);
  } else if (!request.filter().empty()) {
    absl::StatusOr<std::string> normal =
        policy::NormalizeGlob(request.filter());
    if (!normal.ok()) return normal.status();
    glob = *std::move(normal);
  }

  bool visited = false;
  auto counted = [&](const v1::Partner& partner) {
    visited = true;
    return visit(partner);
  };
  absl::Status read;
  if (!identity.empty()) {
    absl::StatusOr<std::optional<v1::Partner>> partner =
        store_->GetPartner(identity);
    if (partner.ok() && !partner->has_value()) return NotFound(identity);
    if (partner.ok()) {
      counted(**partner);
      return absl::OkStatus();
    }
    read = partner.status();
  } else {
    read = store_->ForEachPartner(glob, counted);
  }
  // A listing cut half way cannot start again without repeating itself.
  if (read.code() != absl::StatusCode::kUnavailable || policy_ == nullptr ||
      visited) {
    return read;
  }
  std::shared_ptr<const snapshot::PolicySnapshot> snapshot = policy_->Current();
  if (stale != nullptr) *stale = StaleNote(read, snapshot->revision());
  if (!identity.empty()) {
    return VisitSnapshotPartner(*snapshot, identity, visit);
  }
  VisitSnapshotPartners(*snapshot, glob, visit);
  return absl::OkStatus();
}

std::string PartnerManager::StaleNote(const absl::Status& unreachable,
                                      uint64_t revision) const {
  v1::StoreState state = store_->GetState();
  std::string since =
      state.has_unreachable_since()
          ? absl::FormatTime(
                "%Y-%m-%dT%H:%M:%SZ",
                absl::FromUnixSeconds(state.unreachable_since().seconds()),
                absl::UTCTimeZone())
          : "just now";
  return absl::StrCat("the store is unreachable since ", since, " (",
                      unreachable.message(),
                      "); answered from this agent's copy of the policy "
                      "(revision ",
                      revision, ")");
}

absl::StatusOr<v1::RemovePartnersReply> PartnerManager::Remove(
    const v1::RemovePartnersRequest& request, const audit::Actor& actor) {
  std::vector<std::string> identities;
  absl::StatusOr<v1::RemovePartnersReply> reply =
      RemoveAudited(request, actor, &identities);
  if (!reply.ok() && !request.what_if()) {
    if (identities.empty()) {
      for (const std::string& input : request.identities()) {
        identities.push_back(AuditedIdentity(input));
      }
    }
    trail_->RecordRefused(actor, identities, reply.status());
  }
  return reply;
}

absl::StatusOr<v1::RemovePartnersReply> PartnerManager::RemoveAudited(
    const v1::RemovePartnersRequest& request, const audit::Actor& actor,
    std::vector<std::string>* identities_out) {
  std::vector<std::string>& identities = *identities_out;
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
  v1::AuditEntry entry;
  absl::StatusOr<std::vector<v1::Partner>> removed = store_->DeletePartners(
      identities, [&](const std::vector<v1::Partner>& partners) {
        entry = trail_->Begin(actor, identities);
        // Every removed partner's fields, so the entry says what is gone;
        // named by partner when there are several.
        for (size_t i = 0; i < partners.size() && i < audit::kMaxIdentities;
             ++i) {
          audit::AddChanges(
              audit::PartnerChanges(&partners[i], nullptr), &entry,
              partners.size() == 1 ? "" : partners[i].identity() + ".");
        }
        return entry;
      });
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
                       absl::StrCat("identity=", partner.identity(), " ",
                                    audit::CallerForLog(entry.caller())));
    *reply.add_removed() = std::move(partner);
  }
  audit::LogSecurityRelevantChanges(entry);
  reply.set_applied(true);
  return reply;
}

}  // namespace xmppfed::service
