#include "agent/store/sqlite_partners.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "agent/errors/field_error.h"

namespace xmppfed::store::sqlite {
namespace {

// One row per (partner, additional domain), or one row with a NULL domain for
// a partner without additional domains; ReadRows folds them back together.
// The LEFT JOIN is driven by partners in key order and probes
// partner_domains_by_identity in domain order, so ORDER BY costs no sort and
// rows stream straight from the B-trees.
#define XMPPFED_SELECT_PARTNERS                                            \
  "SELECT p.identity, p.description, p.partner_type, p.tls_negotiation, "  \
  "p.sasl_negotiation, p.support_dialback, p.proxy_fqdn, "                 \
  "p.enable_keep_alive, p.connection_limit, p.revision, p.created_at_us, " \
  "p.modified_at_us, d.domain "                                            \
  "FROM partners AS p LEFT JOIN partner_domains AS d "                     \
  "ON d.identity = p.identity AND d.is_primary = 0 "

// Two statements rather than "?1 = '' OR GLOB": a GLOB with a literal prefix
// ("fab*") is then planned as a range scan of the primary key.
constexpr char kSelectAll[] =
    XMPPFED_SELECT_PARTNERS "ORDER BY p.identity, d.domain";
constexpr char kSelectGlob[] = XMPPFED_SELECT_PARTNERS
    "WHERE p.identity GLOB ?1 ORDER BY p.identity, d.domain";
constexpr char kSelectOne[] =
    XMPPFED_SELECT_PARTNERS "WHERE p.identity = ?1 ORDER BY d.domain";
#undef XMPPFED_SELECT_PARTNERS

constexpr char kCount[] = "SELECT count(*) FROM partners";
constexpr char kSelectOwner[] =
    "SELECT identity FROM partner_domains WHERE domain = ?1";
constexpr char kSelectBookkeeping[] =
    "SELECT revision, created_at_us FROM partners WHERE identity = ?1";
constexpr char kInsertPartner[] =
    "INSERT INTO partners (identity, description, partner_type, "
    "tls_negotiation, sasl_negotiation, support_dialback, proxy_fqdn, "
    "enable_keep_alive, connection_limit, revision, created_at_us, "
    "modified_at_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
    "?12)";
constexpr char kUpdatePartner[] =
    "UPDATE partners SET description = ?2, partner_type = ?3, "
    "tls_negotiation = ?4, sasl_negotiation = ?5, support_dialback = ?6, "
    "proxy_fqdn = ?7, enable_keep_alive = ?8, connection_limit = ?9, "
    "revision = ?10, created_at_us = ?11, modified_at_us = ?12 "
    "WHERE identity = ?1";
constexpr char kInsertDomain[] =
    "INSERT INTO partner_domains (domain, identity, is_primary) "
    "VALUES (?1, ?2, ?3)";
constexpr char kDeleteAdditionalDomains[] =
    "DELETE FROM partner_domains WHERE identity = ?1 AND is_primary = 0";
constexpr char kDeletePartner[] = "DELETE FROM partners WHERE identity = ?1";

int64_t MicrosOf(const google::protobuf::Timestamp& timestamp) {
  return timestamp.seconds() * 1'000'000 + timestamp.nanos() / 1'000;
}

// Columns 0-11 of the SELECT above into `partner`, which is cleared first
// (keeping its allocations: a listing reuses one message for every row).
void FillPartner(const Statement& row, v1::Partner* partner) {
  partner->Clear();
  partner->set_identity(std::string(row.Text(0)));
  partner->set_description(std::string(row.Text(1)));
  partner->set_partner_type(static_cast<v1::PartnerType>(row.Int64(2)));
  partner->set_tls_negotiation(static_cast<v1::Negotiation>(row.Int64(3)));
  partner->set_sasl_negotiation(static_cast<v1::Negotiation>(row.Int64(4)));
  partner->set_support_dialback_negotiation(row.Int64(5) != 0);
  partner->set_proxy_fqdn(std::string(row.Text(6)));
  partner->set_enable_keep_alive(row.Int64(7) != 0);
  partner->set_connection_limit(static_cast<uint32_t>(row.Int64(8)));
  partner->set_revision(static_cast<uint64_t>(row.Int64(9)));
  SetTimestamp(row.Int64(10), partner->mutable_created_at());
  SetTimestamp(row.Int64(11), partner->mutable_modified_at());
}

// Steps `stmt` (a SELECT above) to the end or until `visit` returns false.
absl::Status ReadRows(Statement& stmt,
                      const std::function<bool(const v1::Partner&)>& visit) {
  v1::Partner partner;
  bool pending = false;
  while (true) {
    absl::StatusOr<bool> row = stmt.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    if (!pending || stmt.Text(0) != partner.identity()) {
      if (pending && !visit(partner)) return absl::OkStatus();
      FillPartner(stmt, &partner);
      pending = true;
    }
    if (!stmt.IsNull(12)) {
      partner.add_additional_domains(std::string(stmt.Text(12)));
    }
  }
  if (pending) visit(partner);
  return absl::OkStatus();
}

// Binds ?1-?12 of kInsertPartner / kUpdatePartner.
void BindPartner(Statement& stmt, const v1::Partner& partner) {
  stmt.Bind(1, partner.identity())
      .Bind(2, partner.description())
      .Bind(3, int64_t{partner.partner_type()})
      .Bind(4, int64_t{partner.tls_negotiation()})
      .Bind(5, int64_t{partner.sasl_negotiation()})
      .Bind(6, int64_t{partner.support_dialback_negotiation()})
      .Bind(7, partner.proxy_fqdn())
      .Bind(8, int64_t{partner.enable_keep_alive()})
      .Bind(9, int64_t{partner.connection_limit()})
      .Bind(10, static_cast<int64_t>(partner.revision()))
      .Bind(11, MicrosOf(partner.created_at()))
      .Bind(12, MicrosOf(partner.modified_at()));
}

absl::Status InsertDomain(Connection* conn, std::string_view domain,
                          std::string_view identity, bool primary) {
  absl::StatusOr<Statement> stmt = conn->Prepare(kInsertDomain);
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, domain).Bind(2, identity).Bind(3, int64_t{primary});
  return stmt->Run();
}

absl::Status InsertAdditionalDomains(Connection* conn,
                                     const v1::Partner& partner) {
  for (const std::string& domain : partner.additional_domains()) {
    if (absl::Status inserted =
            InsertDomain(conn, domain, partner.identity(), false);
        !inserted.ok()) {
      return inserted;
    }
  }
  return absl::OkStatus();
}

// The partner's own list must not name a domain twice (the identity
// included), and no domain may belong to another partner; when `creating`,
// not even the identity may be known yet.
absl::Status CheckDomains(Connection* conn, const v1::Partner& partner,
                          bool creating) {
  // Views of the partner's own strings, inserted as explicit string_views:
  // given the std::string itself, absl kept a view of a temporary copy
  // (caught by ASan).
  absl::flat_hash_set<std::string_view> seen = {
      std::string_view(partner.identity())};
  for (const std::string& domain : partner.additional_domains()) {
    if (!seen.insert(std::string_view(domain)).second) {
      return errors::InvalidField("additionalDomains", domain,
                                  domain == partner.identity()
                                      ? "is the partner's identity"
                                      : "is listed more than once");
    }
  }
  auto check = [&](const char* field,
                   const std::string& domain) -> absl::Status {
    absl::StatusOr<std::optional<std::string>> owner =
        ReadDomainOwner(conn, domain);
    if (!owner.ok()) return owner.status();
    if (!owner->has_value() || (!creating && **owner == partner.identity())) {
      return absl::OkStatus();
    }
    std::string rule =
        **owner == domain
            ? "is already a partner"
            : absl::StrCat("already belongs to partner ", **owner);
    return errors::FieldError(
        absl::StatusCode::kAlreadyExists, field, domain, rule,
        absl::StrCat(field, "=", domain, ": ", rule), **owner);
  };
  if (absl::Status free = check("identity", partner.identity()); !free.ok()) {
    return free;
  }
  for (const std::string& domain : partner.additional_domains()) {
    if (absl::Status free = check("additionalDomains", domain); !free.ok()) {
      return free;
    }
  }
  return absl::OkStatus();
}

// `partner` with the stored form's order and bookkeeping.
v1::Partner StoredForm(const v1::Partner& partner, uint64_t revision,
                       int64_t created_us, int64_t modified_us) {
  v1::Partner stored = partner;
  std::sort(stored.mutable_additional_domains()->begin(),
            stored.mutable_additional_domains()->end());
  stored.set_revision(revision);
  SetTimestamp(created_us, stored.mutable_created_at());
  SetTimestamp(modified_us, stored.mutable_modified_at());
  return stored;
}

}  // namespace

int64_t NowMicros() { return absl::ToUnixMicros(absl::Now()); }

void SetTimestamp(int64_t micros, google::protobuf::Timestamp* timestamp) {
  // Floor division: nanos must be in [0, 1e9) even before 1970.
  int64_t seconds = micros / 1'000'000;
  int64_t rest = micros % 1'000'000;
  if (rest < 0) {
    rest += 1'000'000;
    --seconds;
  }
  timestamp->set_seconds(seconds);
  timestamp->set_nanos(static_cast<int32_t>(rest * 1'000));
}

absl::StatusOr<std::optional<v1::Partner>> ReadPartner(
    Connection* conn, std::string_view identity) {
  absl::StatusOr<Statement> stmt = conn->Prepare(kSelectOne);
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, identity);
  std::optional<v1::Partner> found;
  absl::Status read = ReadRows(*stmt, [&](const v1::Partner& partner) {
    found = partner;
    return false;
  });
  if (!read.ok()) return read;
  return found;
}

absl::StatusOr<std::optional<std::string>> ReadDomainOwner(
    Connection* conn, std::string_view domain) {
  absl::StatusOr<Statement> stmt = conn->Prepare(kSelectOwner);
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, domain);
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(std::string(stmt->Text(0)));
}

absl::Status ReadPartners(
    Connection* conn, std::string_view glob,
    const std::function<bool(const v1::Partner&)>& visit) {
  absl::StatusOr<Statement> stmt =
      conn->Prepare(glob.empty() ? kSelectAll : kSelectGlob);
  if (!stmt.ok()) return stmt.status();
  if (!glob.empty()) stmt->Bind(1, glob);
  return ReadRows(*stmt, visit);
}

absl::StatusOr<uint64_t> CountPartnerRows(Connection* conn) {
  absl::StatusOr<int64_t> count = conn->QueryInt64(kCount);
  if (!count.ok()) return count.status();
  return static_cast<uint64_t>(*count);
}

absl::StatusOr<v1::Partner> InsertPartner(Connection* conn,
                                          const v1::Partner& partner,
                                          int64_t now_us) {
  if (absl::Status free = CheckDomains(conn, partner, /*creating=*/true);
      !free.ok()) {
    return free;
  }
  v1::Partner stored = StoredForm(partner, 1, now_us, now_us);
  absl::StatusOr<Statement> stmt = conn->Prepare(kInsertPartner);
  if (!stmt.ok()) return stmt.status();
  BindPartner(*stmt, stored);
  if (absl::Status inserted = stmt->Run(); !inserted.ok()) return inserted;
  if (absl::Status primary =
          InsertDomain(conn, stored.identity(), stored.identity(), true);
      !primary.ok()) {
    return primary;
  }
  if (absl::Status others = InsertAdditionalDomains(conn, stored);
      !others.ok()) {
    return others;
  }
  return stored;
}

absl::StatusOr<v1::Partner> ReplacePartner(
    Connection* conn, const v1::Partner& partner,
    std::optional<uint64_t> expected_revision, int64_t now_us) {
  uint64_t revision;
  int64_t created_us;
  {
    absl::StatusOr<Statement> stmt = conn->Prepare(kSelectBookkeeping);
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, partner.identity());
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return PartnerNotFound(partner.identity());
    revision = static_cast<uint64_t>(stmt->Int64(0));
    created_us = stmt->Int64(1);
  }
  if (expected_revision.has_value() && *expected_revision != revision) {
    std::string rule = absl::StrCat("the partner is at revision ", revision,
                                    "; it changed since it was read");
    return errors::FieldError(
        absl::StatusCode::kFailedPrecondition, "revision",
        absl::StrCat(*expected_revision), rule,
        absl::StrCat("revision=", *expected_revision, ": ", rule));
  }
  if (absl::Status free = CheckDomains(conn, partner, /*creating=*/false);
      !free.ok()) {
    return free;
  }
  v1::Partner stored = StoredForm(partner, revision + 1, created_us, now_us);
  {
    absl::StatusOr<Statement> stmt = conn->Prepare(kUpdatePartner);
    if (!stmt.ok()) return stmt.status();
    BindPartner(*stmt, stored);
    if (absl::Status updated = stmt->Run(); !updated.ok()) return updated;
  }
  {
    absl::StatusOr<Statement> stmt = conn->Prepare(kDeleteAdditionalDomains);
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, stored.identity());
    if (absl::Status cleared = stmt->Run(); !cleared.ok()) return cleared;
  }
  if (absl::Status others = InsertAdditionalDomains(conn, stored);
      !others.ok()) {
    return others;
  }
  return stored;
}

absl::Status DeletePartner(Connection* conn, std::string_view identity) {
  absl::StatusOr<Statement> stmt = conn->Prepare(kDeletePartner);
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, identity);
  if (absl::Status deleted = stmt->Run(); !deleted.ok()) return deleted;
  if (sqlite3_changes(conn->handle()) == 0) return PartnerNotFound(identity);
  return absl::OkStatus();
}

absl::StatusOr<v1::Partner> TakePartner(Connection* conn,
                                        std::string_view identity) {
  absl::StatusOr<std::optional<v1::Partner>> partner =
      ReadPartner(conn, identity);
  if (!partner.ok()) return partner.status();
  if (!partner->has_value()) return PartnerNotFound(identity);
  if (absl::Status deleted = DeletePartner(conn, identity); !deleted.ok()) {
    return deleted;
  }
  return **std::move(partner);
}

absl::Status PartnerNotFound(std::string_view identity) {
  constexpr char kRule[] = "no partner has this identity";
  return errors::FieldError(
      absl::StatusCode::kNotFound, "identity", identity, kRule,
      absl::StrCat(
          "identity=", absl::string_view(identity.data(), identity.size()),
          ": ", kRule));
}

}  // namespace xmppfed::store::sqlite
