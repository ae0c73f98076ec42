// One record of a bulk write, inside a transaction the caller opened: the
// rules of new-partner and set-partner (agent/policy's field rules, the
// local domains, domain ownership as the transaction sees it) and of
// remove-partner, shared by import-partners and the pipeline verbs so that
// a record obeys exactly what the single-partner call would.
//
// Refusals (IsRefusal) leave the transaction as it was, so a best-effort
// run goes on with the next record; any other error is the store's own and
// ends the run.
#ifndef XMPPFED_AGENT_SERVICE_PARTNER_WRITES_H_
#define XMPPFED_AGENT_SERVICE_PARTNER_WRITES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "agent/store/store.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::service {

// Whether `status` refuses a record (a rule broken, a clash, an unknown
// identity, a stale revision) rather than reporting a failure of the store.
bool IsRefusal(const absl::Status& status);

enum class WriteMode {
  // new-partner: a partner that exists is refused (with a hint at --update).
  kCreate,
  // import-partners --update: create, or change the fields given.
  kCreateOrUpdate,
  // set-partner: change the fields given; NOT_FOUND when there is none.
  kUpdate,
};

struct PartnerWrite {
  enum class Outcome { kCreated, kUpdated, kUnchanged };
  Outcome outcome = Outcome::kUnchanged;
  // The negotiation table's warnings for the partner as stored.
  std::vector<std::string> warnings;
  // The partner as stored now (unchanged: as it was).
  v1::Partner partner;
  // The partner before, when it existed.
  std::optional<v1::Partner> before;
};

// Applies `fields` to the partner `identity` (already normalised, see
// NormalizeIdentity) in `txn`.
absl::StatusOr<PartnerWrite> WritePartner(
    store::PartnerTransaction& txn, const std::string& identity,
    const v1::PartnerFields& fields, WriteMode mode,
    const std::vector<std::string>& local_domains);

// Removes the partner `identity` (already normalised) in `txn` and returns
// it as it was; NOT_FOUND as remove-partner says it (naming the owner when
// the identity is another partner's additional domain).
absl::StatusOr<v1::Partner> RemovePartner(store::PartnerTransaction& txn,
                                          const std::string& identity);

}  // namespace xmppfed::service

#endif  // XMPPFED_AGENT_SERVICE_PARTNER_WRITES_H_
