#include "agent/store/sqlite_schema.h"

#include <cstdint>
#include <iterator>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"

namespace xmppfed::store::sqlite {
namespace {

// Append only: a released migration is never edited, since databases in the
// field already ran it. Migration i (0-based) produces version i + 1.
constexpr const char* kMigrations[] = {
    // 1: partners, their domains, and the settings (gateway config,
    // dialback passphrase).
    //
    // partners and partner_domains are WITHOUT ROWID: each is one B-tree
    // ordered by its key, so a listing in identity order is a sequential
    // scan and a GLOB with a literal prefix becomes a range scan.
    //
    // partner_domains holds every domain of every partner, the identity
    // included (is_primary = 1), with the domain as primary key: the
    // database itself guarantees that a domain belongs to one partner.
    R"sql(
CREATE TABLE partners (
  identity TEXT NOT NULL PRIMARY KEY,
  description TEXT NOT NULL,
  partner_type INTEGER NOT NULL,
  tls_negotiation INTEGER NOT NULL,
  sasl_negotiation INTEGER NOT NULL,
  support_dialback INTEGER NOT NULL,
  proxy_fqdn TEXT NOT NULL,
  enable_keep_alive INTEGER NOT NULL,
  connection_limit INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  created_at_us INTEGER NOT NULL,
  modified_at_us INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE partner_domains (
  domain TEXT NOT NULL PRIMARY KEY,
  identity TEXT NOT NULL REFERENCES partners (identity) ON DELETE CASCADE,
  is_primary INTEGER NOT NULL CHECK (is_primary IN (0, 1)),
  CHECK (is_primary = 0 OR domain = identity)
) WITHOUT ROWID;

-- A partner's additional domains in order, read from the index alone
-- (listings), and the child index the foreign key needs so that deleting a
-- partner does not scan every domain.
CREATE INDEX partner_domains_by_identity
  ON partner_domains (identity, is_primary, domain);

-- Exactly one identity row per partner.
CREATE UNIQUE INDEX partner_domains_one_primary
  ON partner_domains (identity) WHERE is_primary = 1;

CREATE TABLE settings (
  key TEXT NOT NULL PRIMARY KEY,
  value BLOB NOT NULL
) WITHOUT ROWID;
)sql",
    // 2: invitations: a local user's subscription request to a remote
    // contact, which lets that contact's messages and subscription requests
    // through when its partner is PublicUnverified (SPEC §4). Keyed by the
    // pair of bare JIDs, local first: "is this pair invited" is one lookup.
    R"sql(
CREATE TABLE invitations (
  local_jid TEXT NOT NULL,
  remote_jid TEXT NOT NULL,
  created_at_us INTEGER NOT NULL,
  PRIMARY KEY (local_jid, remote_jid)
) WITHOUT ROWID;
)sql",
    // 3: the audit log (SPEC §7). One row per entry, the entry serialized
    // as a v1::AuditEntry; the columns are what the filters look at, the
    // entry's identities as ",a.example,b.example," for a substring test.
    // One table and no secondary index: an audited change writes one more
    // row and no other page (the listing scans, newest first; pruning
    // deletes the oldest ids, which are the oldest entries).
    R"sql(
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  time_us INTEGER NOT NULL,
  uid INTEGER NOT NULL,
  user TEXT NOT NULL,
  verb TEXT NOT NULL,
  result INTEGER NOT NULL,
  identities TEXT NOT NULL,
  entry BLOB NOT NULL
);
)sql",
};

constexpr int kLatest = static_cast<int>(std::size(kMigrations));

}  // namespace

int LatestSchemaVersion() { return kLatest; }

absl::Status MigrateSchema(Connection* conn, const std::string& path) {
  absl::StatusOr<int64_t> version = conn->QueryInt64("PRAGMA user_version");
  if (!version.ok()) return version.status();
  if (*version > kLatest || *version < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("store ", path, " has schema version ", *version,
                     ", newer than this xmppfed-agent supports (", kLatest,
                     "); run a newer xmppfed-agent"));
  }
  for (int next = static_cast<int>(*version) + 1; next <= kLatest; ++next) {
    absl::StatusOr<Transaction> txn =
        Transaction::Begin(conn, Transaction::Kind::kWrite);
    if (!txn.ok()) return txn.status();
    if (absl::Status applied = conn->Exec(kMigrations[next - 1]);
        !applied.ok()) {
      return absl::Status(applied.code(),
                          absl::StrCat("store ", path,
                                       ": migration to schema "
                                       "version ",
                                       next, " failed: ", applied.message()));
    }
    std::string set_version = absl::StrCat("PRAGMA user_version = ", next);
    if (absl::Status set = conn->Exec(set_version.c_str()); !set.ok()) {
      return set;
    }
    if (absl::Status committed = txn->Commit(); !committed.ok()) {
      return committed;
    }
  }
  return absl::OkStatus();
}

}  // namespace xmppfed::store::sqlite
