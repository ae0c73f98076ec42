#include "agent/store/etcd_partner_writer.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "agent/errors/field_error.h"
#include "agent/store/stored_records.h"

namespace xmppfed::store {
namespace {

// The partner's own key and its identity's domain key come with every
// partner; this many additional domains fit one transaction beside them.
constexpr size_t kMaxAdditionalDomains = kEtcdWriteOperations - 2;

absl::Status TooLargeForOneTransaction(size_t domains) {
  std::string rule = absl::StrCat(
      "on the etcd store a partner has at most ", kMaxAdditionalDomains,
      " additional domains: each is a key, and one etcd transaction writes "
      "at most ",
      kEtcdMaxTxnOperations, " keys");
  std::string value = absl::StrCat(domains, " domains");
  return errors::FieldError(
      absl::StatusCode::kInvalidArgument, "additionalDomains", value, rule,
      absl::StrCat("additionalDomains=", value, ": ", rule));
}

}  // namespace

absl::Status EtcdPartnerWriter::CheckFitsAlone(const v1::Partner& partner) {
  if (static_cast<size_t>(partner.additional_domains_size()) >
      kMaxAdditionalDomains) {
    return TooLargeForOneTransaction(partner.additional_domains_size());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<v1::Partner>> EtcdPartnerWriter::ReadPartner(
    std::string_view identity, int64_t* mod_revision) {
  absl::StatusOr<Read> read = view_->Get(keys_->partner(identity));
  if (!read.ok()) return read.status();
  if (mod_revision != nullptr) *mod_revision = read->mod_revision;
  if (!read->value.has_value()) return std::optional<v1::Partner>();
  v1::Partner partner;
  if (!partner.ParseFromString(*read->value)) {
    return absl::DataLossError(
        absl::StrCat("the etcd store's record of partner ",
                     absl::string_view(identity.data(), identity.size()),
                     " cannot be parsed"));
  }
  return std::optional<v1::Partner>(std::move(partner));
}

absl::StatusOr<std::optional<v1::Partner>> EtcdPartnerWriter::GetPartner(
    std::string_view identity) {
  return ReadPartner(identity, nullptr);
}

absl::StatusOr<std::optional<std::string>> EtcdPartnerWriter::FindDomainOwner(
    std::string_view domain) {
  absl::StatusOr<Read> read = view_->Get(keys_->domain(domain));
  if (!read.ok()) return read.status();
  return read->value;
}

absl::Status EtcdPartnerWriter::CheckRoom(size_t keys, size_t bytes,
                                          std::string_view identity) const {
  if (keys > kEtcdWriteOperations || bytes > kEtcdWriteBytes) {
    return TooLargeForOneTransaction(keys - 2);
  }
  if (!writes_->Fits(keys, bytes)) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "partner ", absl::string_view(identity.data(), identity.size()),
        " does not fit the etcd transaction any more: one transaction "
        "writes at most ",
        kEtcdMaxTxnOperations, " keys"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Partner> EtcdPartnerWriter::CreatePartner(
    const v1::Partner& partner, int64_t now_us) {
  return CreateStored(partner, StoredForm(partner, 1, now_us, now_us));
}

absl::StatusOr<v1::Partner> EtcdPartnerWriter::RestorePartner(
    const v1::Partner& partner) {
  return CreateStored(partner, StoredForm(partner, partner.revision(),
                                          MicrosOf(partner.created_at()),
                                          MicrosOf(partner.modified_at())));
}

absl::StatusOr<v1::Partner> EtcdPartnerWriter::CreateStored(
    const v1::Partner& given, const v1::Partner& stored) {
  if (absl::Status own = CheckOwnDomains(given); !own.ok()) return own;
  std::string value = stored.SerializeAsString();
  const std::string partner_key = keys_->partner(stored.identity());
  size_t bytes = EtcdWriteBytes(partner_key.size(), value.size()) +
                 EtcdWriteBytes(keys_->domain(stored.identity()).size(),
                                stored.identity().size());
  for (const std::string& domain : stored.additional_domains()) {
    bytes +=
        EtcdWriteBytes(keys_->domain(domain).size(), stored.identity().size());
  }
  if (absl::Status room = CheckRoom(2 + stored.additional_domains_size(), bytes,
                                    stored.identity());
      !room.ok()) {
    return room;
  }
  std::vector<std::string> keys = {partner_key,
                                   keys_->domain(stored.identity())};
  for (const std::string& domain : stored.additional_domains()) {
    keys.push_back(keys_->domain(domain));
  }
  if (absl::Status read = view_->Prefetch(keys); !read.ok()) return read;

  auto claim = [&](const char* field,
                   const std::string& domain) -> absl::StatusOr<int64_t> {
    absl::StatusOr<Read> owner = view_->Get(keys_->domain(domain));
    if (!owner.ok()) return owner.status();
    if (owner->value.has_value()) {
      return DomainTaken(field, domain, *owner->value);
    }
    return owner->mod_revision;
  };
  // In the order SQLite checks them: the identity, then the others as given.
  absl::StatusOr<int64_t> identity_key = claim("identity", stored.identity());
  if (!identity_key.ok()) return identity_key.status();
  std::vector<std::pair<std::string, int64_t>> claimed;
  for (const std::string& domain : given.additional_domains()) {
    absl::StatusOr<int64_t> key = claim("additionalDomains", domain);
    if (!key.ok()) return key.status();
    claimed.emplace_back(domain, *key);
  }
  int64_t partner_mod = 0;
  absl::StatusOr<std::optional<v1::Partner>> existing =
      ReadPartner(stored.identity(), &partner_mod);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    return DomainTaken("identity", stored.identity(), stored.identity());
  }

  writes_->Put(partner_key, std::move(value), partner_mod);
  writes_->Put(keys_->domain(stored.identity()), stored.identity(),
               *identity_key);
  for (auto& [domain, mod] : claimed) {
    writes_->Put(keys_->domain(domain), stored.identity(), mod);
  }
  return stored;
}

absl::StatusOr<v1::Partner> EtcdPartnerWriter::UpdatePartner(
    const v1::Partner& partner, std::optional<uint64_t> expected_revision,
    int64_t now_us) {
  int64_t partner_mod = 0;
  absl::StatusOr<std::optional<v1::Partner>> current =
      ReadPartner(partner.identity(), &partner_mod);
  if (!current.ok()) return current.status();
  if (!current->has_value()) return PartnerNotFound(partner.identity());
  const v1::Partner& before = **current;
  if (expected_revision.has_value() &&
      *expected_revision != before.revision()) {
    return StaleRevision("the partner", *expected_revision, before.revision());
  }
  if (absl::Status own = CheckOwnDomains(partner); !own.ok()) return own;

  std::set<std::string> old_domains(before.additional_domains().begin(),
                                    before.additional_domains().end());
  std::set<std::string> new_domains(partner.additional_domains().begin(),
                                    partner.additional_domains().end());
  std::vector<std::string> added;
  std::vector<std::string> removed;
  for (const std::string& domain : partner.additional_domains()) {
    if (!old_domains.contains(domain)) added.push_back(domain);
  }
  for (const std::string& domain : old_domains) {
    if (!new_domains.contains(domain)) removed.push_back(domain);
  }
  v1::Partner stored = StoredForm(partner, before.revision() + 1,
                                  MicrosOf(before.created_at()), now_us);
  std::string value = stored.SerializeAsString();
  const std::string partner_key = keys_->partner(stored.identity());
  size_t bytes = EtcdWriteBytes(partner_key.size(), value.size());
  for (const std::string& domain : added) {
    bytes +=
        EtcdWriteBytes(keys_->domain(domain).size(), stored.identity().size());
  }
  for (const std::string& domain : removed) {
    bytes += EtcdWriteBytes(keys_->domain(domain).size(), 0);
  }
  size_t keys = 1 + added.size() + removed.size();
  if (keys > kEtcdWriteOperations) {
    // Too many domain changes at once, though the result may fit alone.
    return TooLargeForOneTransaction(added.size() + removed.size());
  }
  if (absl::Status room = CheckRoom(keys, bytes, stored.identity());
      !room.ok()) {
    return room;
  }

  std::vector<std::string> domain_keys;
  for (const std::string& domain : added) {
    domain_keys.push_back(keys_->domain(domain));
  }
  for (const std::string& domain : removed) {
    domain_keys.push_back(keys_->domain(domain));
  }
  if (absl::Status read = view_->Prefetch(domain_keys); !read.ok()) {
    return read;
  }
  std::vector<std::pair<std::string, int64_t>> claimed;
  for (const std::string& domain : added) {
    absl::StatusOr<Read> owner = view_->Get(keys_->domain(domain));
    if (!owner.ok()) return owner.status();
    if (owner->value.has_value() && *owner->value != stored.identity()) {
      return DomainTaken("additionalDomains", domain, *owner->value);
    }
    claimed.emplace_back(domain, owner->mod_revision);
  }
  std::vector<std::pair<std::string, int64_t>> released;
  for (const std::string& domain : removed) {
    absl::StatusOr<Read> owner = view_->Get(keys_->domain(domain));
    if (!owner.ok()) return owner.status();
    released.emplace_back(domain, owner->mod_revision);
  }

  writes_->Put(partner_key, std::move(value), partner_mod);
  for (auto& [domain, mod] : claimed) {
    writes_->Put(keys_->domain(domain), stored.identity(), mod);
  }
  for (auto& [domain, mod] : released) {
    writes_->Delete(keys_->domain(domain), mod);
  }
  return stored;
}

absl::StatusOr<v1::Partner> EtcdPartnerWriter::DeletePartner(
    std::string_view identity) {
  int64_t partner_mod = 0;
  absl::StatusOr<std::optional<v1::Partner>> current =
      ReadPartner(identity, &partner_mod);
  if (!current.ok()) return current.status();
  if (!current->has_value()) return PartnerNotFound(identity);
  const v1::Partner& partner = **current;
  std::vector<std::string> domains = {partner.identity()};
  domains.insert(domains.end(), partner.additional_domains().begin(),
                 partner.additional_domains().end());
  size_t bytes = EtcdWriteBytes(keys_->partner(identity).size(), 0);
  for (const std::string& domain : domains) {
    bytes += EtcdWriteBytes(keys_->domain(domain).size(), 0);
  }
  if (!writes_->Fits(1 + domains.size(), bytes)) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "removing these partners (with their domains) needs more than ",
        kEtcdMaxTxnOperations,
        " keys, more than one etcd transaction writes: remove fewer at "
        "once"));
  }
  std::vector<std::string> domain_keys;
  for (const std::string& domain : domains) {
    domain_keys.push_back(keys_->domain(domain));
  }
  if (absl::Status read = view_->Prefetch(domain_keys); !read.ok()) {
    return read;
  }
  std::vector<std::pair<std::string, int64_t>> released;
  for (const std::string& domain : domains) {
    absl::StatusOr<Read> owner = view_->Get(keys_->domain(domain));
    if (!owner.ok()) return owner.status();
    released.emplace_back(domain, owner->mod_revision);
  }
  writes_->Delete(keys_->partner(identity), partner_mod);
  for (auto& [domain, mod] : released) {
    writes_->Delete(keys_->domain(domain), mod);
  }
  return partner;
}

}  // namespace xmppfed::store
