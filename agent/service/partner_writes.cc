#include "agent/service/partner_writes.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "agent/errors/field_error.h"
#include "agent/policy/partner_rules.h"
#include "agent/service/partner_checks.h"

namespace xmppfed::service {
namespace {

absl::Status AlreadyAPartner(const std::string& identity) {
  std::string rule = "is already a partner; pass --update to change it";
  return errors::FieldError(
      absl::StatusCode::kAlreadyExists, "identity", identity, rule,
      absl::StrCat("identity=", identity, ": ", rule), identity);
}

DomainOwnerLookup TransactionLookup(store::PartnerTransaction& txn) {
  return
      [&txn](std::string_view domain) { return txn.FindDomainOwner(domain); };
}

}  // namespace

bool IsRefusal(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return true;
    default:
      return false;
  }
}

absl::StatusOr<PartnerWrite> WritePartner(
    store::PartnerTransaction& txn, const std::string& identity,
    const v1::PartnerFields& fields, WriteMode mode,
    const std::vector<std::string>& local_domains) {
  absl::StatusOr<std::optional<v1::Partner>> existing =
      txn.GetPartner(identity);
  if (!existing.ok()) return existing.status();
  if (existing->has_value() && mode == WriteMode::kCreate) {
    return AlreadyAPartner(identity);
  }
  if (!existing->has_value() && mode == WriteMode::kUpdate) {
    return PartnerNotFound(identity, TransactionLookup(txn));
  }

  PartnerWrite write;
  write.partner =
      existing->has_value() ? **existing : policy::DefaultPartner(identity);
  absl::StatusOr<std::vector<std::string>> warnings =
      policy::ApplyPartnerFields(fields, &write.partner);
  if (!warnings.ok()) return warnings.status();
  write.warnings = *std::move(warnings);
  // Ownership is not looked up here: the transaction's Create and Update
  // refuse a domain of another partner with the same ALREADY_EXISTS error,
  // and looking twice cost a fifth of an import's time.
  if (absl::Status local = CheckNoLocalDomain(write.partner, local_domains);
      !local.ok()) {
    return local;
  }

  if (!existing->has_value()) {
    absl::StatusOr<v1::Partner> created = txn.CreatePartner(write.partner);
    if (!created.ok()) return created.status();
    write.partner = *std::move(created);
    write.outcome = PartnerWrite::Outcome::kCreated;
    return write;
  }
  write.before = **std::move(existing);
  if (SameConfiguration(write.partner, *write.before)) {
    // `partner` still carries the stored bookkeeping: it is as stored.
    write.outcome = PartnerWrite::Outcome::kUnchanged;
    return write;
  }
  absl::StatusOr<v1::Partner> updated =
      txn.UpdatePartner(write.partner, write.before->revision());
  if (!updated.ok()) return updated.status();
  write.partner = *std::move(updated);
  write.outcome = PartnerWrite::Outcome::kUpdated;
  return write;
}

absl::StatusOr<v1::Partner> RemovePartner(store::PartnerTransaction& txn,
                                          const std::string& identity) {
  absl::StatusOr<v1::Partner> removed = txn.DeletePartner(identity);
  if (removed.status().code() == absl::StatusCode::kNotFound) {
    return PartnerNotFound(identity, TransactionLookup(txn));
  }
  return removed;
}

}  // namespace xmppfed::service
