// The partner use cases of the management API: validate with agent/policy,
// check the domain rules that need state (ownership, local domains), commit
// through agent/store with the audit entry of the change. The rpc layer only
// converts; nothing else writes partners.
//
// Audit: a change is recorded with its field-level changes in its own
// transaction; a refused attempt (not a what-if) is recorded on its own; a
// what-if, a read, or a set that changes nothing is not recorded.
#ifndef XMPPFED_AGENT_SERVICE_PARTNER_MANAGER_H_
#define XMPPFED_AGENT_SERVICE_PARTNER_MANAGER_H_

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "agent/audit/audit_trail.h"
#include "agent/service/partner_checks.h"
#include "agent/snapshot/policy_source.h"
#include "agent/store/store.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::service {

class PartnerManager {
 public:
  // `store`, `trail` (and `policy`, when given) must outlive the manager.
  // `local_domains` are normalised. `policy`, the agent's policy in memory,
  // answers Get while the store is unreachable.
  PartnerManager(store::Store* store, std::vector<std::string> local_domains,
                 audit::AuditTrail* trail,
                 const snapshot::PolicySource* policy = nullptr);

  // ALREADY_EXISTS naming the owner when a domain is taken; INVALID_ARGUMENT
  // for a rule broken (including a local domain); with what_if nothing is
  // written and `applied` is false.
  absl::StatusOr<v1::PartnerChange> Create(const v1::NewPartnerRequest& request,
                                           const audit::Actor& actor);

  // Applies only the fields present. A change that changes nothing is not
  // written (no new revision) and reported with applied=false.
  absl::StatusOr<v1::PartnerChange> Set(const v1::SetPartnerRequest& request,
                                        const audit::Actor& actor);

  // One partner by identity (NOT_FOUND if none), the partners matching the
  // filter glob, or all; in identity order until `visit` returns false.
  // When the store is unreachable (UNAVAILABLE) before anything was
  // visited, the policy in memory answers and `stale` (when given) says
  // so: since when the store is unreachable, and the revision answered.
  absl::Status Get(const v1::GetPartnersRequest& request,
                   const std::function<bool(const v1::Partner&)>& visit,
                   std::string* stale = nullptr);

  // All or nothing; NOT_FOUND names the first unknown identity.
  absl::StatusOr<v1::RemovePartnersReply> Remove(
      const v1::RemovePartnersRequest& request, const audit::Actor& actor);

 private:
  absl::StatusOr<v1::PartnerChange> CreateAudited(
      const v1::NewPartnerRequest& request, const audit::Actor& actor);
  absl::StatusOr<v1::PartnerChange> SetAudited(
      const v1::SetPartnerRequest& request, const audit::Actor& actor);
  absl::StatusOr<v1::RemovePartnersReply> RemoveAudited(
      const v1::RemovePartnersRequest& request, const audit::Actor& actor,
      std::vector<std::string>* identities);
  DomainOwnerLookup StoreLookup() const;
  // Local domains always; the owners of the domains only for `what_if`
  // (a commit is refused by the store with the same error).
  absl::Status CheckDomainsFree(const v1::Partner& partner, bool what_if) const;
  absl::Status NotFound(const std::string& identity) const;

  // What the snapshot-answered Get tells its caller.
  std::string StaleNote(const absl::Status& unreachable,
                        uint64_t revision) const;

  store::Store* store_;
  std::vector<std::string> local_domains_;
  audit::AuditTrail* trail_;
  const snapshot::PolicySource* policy_;
  // Serialises check-then-write so that what a caller was told (and what
  // what_if reports) is what gets committed.
  std::mutex write_mutex_;
};

}  // namespace xmppfed::service

#endif  // XMPPFED_AGENT_SERVICE_PARTNER_MANAGER_H_
