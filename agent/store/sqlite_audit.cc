#include "agent/store/sqlite_audit.h"

#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"

namespace xmppfed::store::sqlite {
namespace {

using google::protobuf::util::TimeUtil;

int64_t TimeMicros(const v1::AuditEntry& entry) {
  return TimeUtil::TimestampToMicroseconds(entry.time());
}

// The row's blob: the entry without its id, which is the row's key.
std::string EntryBlob(const v1::AuditEntry& entry) {
  v1::AuditEntry copy = entry;
  copy.clear_id();
  return copy.SerializeAsString();
}

absl::StatusOr<v1::AuditEntry> ParseEntry(int64_t id, std::string_view blob) {
  v1::AuditEntry entry;
  if (!entry.ParseFromArray(blob.data(), static_cast<int>(blob.size()))) {
    return absl::DataLossError(
        absl::StrCat("audit entry ", id, " in the store cannot be parsed"));
  }
  entry.set_id(static_cast<uint64_t>(id));
  return entry;
}

absl::Status InsertIdentity(Connection* conn, int64_t id,
                            std::string_view identity) {
  absl::StatusOr<Statement> stmt = conn->Prepare(
      "INSERT OR IGNORE INTO audit_identities (id, identity) VALUES (?1, ?2)");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, id).Bind(2, identity);
  return stmt->Run();
}

absl::Status DeleteIdentity(Connection* conn, int64_t id,
                            std::string_view identity) {
  absl::StatusOr<Statement> stmt = conn->Prepare(
      "DELETE FROM audit_identities WHERE id = ?1 AND identity = ?2");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, id).Bind(2, identity);
  return stmt->Run();
}

}  // namespace

absl::StatusOr<uint64_t> InsertAuditEntry(Connection* conn,
                                          const v1::AuditEntry& entry) {
  absl::StatusOr<Statement> stmt = conn->Prepare(
      "INSERT INTO audit_log (time_us, uid, user, verb, result, entry) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, TimeMicros(entry))
      .Bind(2, static_cast<int64_t>(entry.caller().uid()))
      .Bind(3, entry.caller().user())
      .Bind(4, entry.verb())
      .Bind(5, static_cast<int64_t>(entry.result()))
      .BindBlob(6, EntryBlob(entry));
  if (absl::Status inserted = stmt->Run(); !inserted.ok()) return inserted;
  int64_t id = sqlite3_last_insert_rowid(conn->handle());
  for (const std::string& identity : entry.identities()) {
    if (absl::Status added = InsertIdentity(conn, id, identity); !added.ok()) {
      return added;
    }
  }
  return static_cast<uint64_t>(id);
}

absl::Status ReplaceAuditEntry(Connection* conn, const v1::AuditEntry& entry) {
  int64_t id = static_cast<int64_t>(entry.id());
  absl::flat_hash_set<std::string> stored_identities;
  {
    absl::StatusOr<Statement> read =
        conn->Prepare("SELECT entry FROM audit_log WHERE id = ?1");
    if (!read.ok()) return read.status();
    read->Bind(1, id);
    absl::StatusOr<bool> row = read->Step();
    if (!row.ok()) return row.status();
    if (!*row) {
      return absl::NotFoundError(
          absl::StrCat("audit entry ", id, " is not in the store"));
    }
    absl::StatusOr<v1::AuditEntry> stored = ParseEntry(id, read->Blob(0));
    if (!stored.ok()) return stored.status();
    stored_identities.insert(stored->identities().begin(),
                             stored->identities().end());
  }
  absl::StatusOr<Statement> stmt = conn->Prepare(
      "UPDATE audit_log SET time_us = ?2, uid = ?3, user = ?4, verb = ?5, "
      "result = ?6, entry = ?7 WHERE id = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, id)
      .Bind(2, TimeMicros(entry))
      .Bind(3, static_cast<int64_t>(entry.caller().uid()))
      .Bind(4, entry.caller().user())
      .Bind(5, entry.verb())
      .Bind(6, static_cast<int64_t>(entry.result()))
      .BindBlob(7, EntryBlob(entry));
  if (absl::Status updated = stmt->Run(); !updated.ok()) return updated;
  // Only the difference: a bulk entry grows by a batch at a time.
  for (const std::string& identity : entry.identities()) {
    if (stored_identities.erase(identity) > 0) continue;
    if (absl::Status added = InsertIdentity(conn, id, identity); !added.ok()) {
      return added;
    }
  }
  for (const std::string& gone : stored_identities) {
    if (absl::Status removed = DeleteIdentity(conn, id, gone); !removed.ok()) {
      return removed;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> PutAuditEntry(Connection* conn,
                                       const v1::AuditEntry& entry) {
  if (entry.id() == 0) return InsertAuditEntry(conn, entry);
  if (absl::Status replaced = ReplaceAuditEntry(conn, entry); !replaced.ok()) {
    return replaced;
  }
  return entry.id();
}

absl::Status ReadAuditEntries(
    Connection* conn, const AuditFilter& filter,
    const std::function<bool(const v1::AuditEntry&)>& visit) {
  // One statement for every combination: an unused filter is bound to NULL.
  // Newest first is the rowid backwards; --identity is one index lookup.
  absl::StatusOr<Statement> stmt = conn->Prepare(
      "SELECT id, entry FROM audit_log "
      "WHERE (?1 IS NULL OR time_us >= ?1) AND (?2 IS NULL OR time_us <= ?2) "
      "AND (?3 IS NULL OR user = ?3 OR uid = ?4) "
      "AND (?5 IS NULL OR verb = ?5) AND (?6 IS NULL OR result = ?6) "
      "AND (?7 IS NULL OR id IN "
      "(SELECT id FROM audit_identities WHERE identity = ?7)) "
      "ORDER BY id DESC");
  if (!stmt.ok()) return stmt.status();
  if (filter.since) {
    stmt->Bind(1, absl::ToUnixMicros(*filter.since));
  } else {
    stmt->BindNull(1);
  }
  if (filter.until) {
    stmt->Bind(2, absl::ToUnixMicros(*filter.until));
  } else {
    stmt->BindNull(2);
  }
  int64_t uid = -1;
  if (filter.caller.empty()) {
    stmt->BindNull(3).BindNull(4);
  } else {
    stmt->Bind(3, filter.caller);
    if (absl::SimpleAtoi(
            absl::string_view(filter.caller.data(), filter.caller.size()),
            &uid) &&
        uid >= 0) {
      stmt->Bind(4, uid);
    } else {
      stmt->BindNull(4);
    }
  }
  if (filter.verb.empty()) {
    stmt->BindNull(5);
  } else {
    stmt->Bind(5, filter.verb);
  }
  if (filter.result == v1::AUDIT_RESULT_UNSPECIFIED) {
    stmt->BindNull(6);
  } else {
    stmt->Bind(6, static_cast<int64_t>(filter.result));
  }
  if (filter.identity.empty()) {
    stmt->BindNull(7);
  } else {
    stmt->Bind(7, filter.identity);
  }
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
    absl::StatusOr<v1::AuditEntry> entry =
        ParseEntry(stmt->Int64(0), stmt->Blob(1));
    if (!entry.ok()) return entry.status();
    if (!visit(*entry)) return absl::OkStatus();
  }
}

absl::StatusOr<uint64_t> DeleteAuditEntriesBefore(Connection* conn,
                                                  absl::Time older_than,
                                                  uint64_t limit) {
  int64_t before_us = absl::ToUnixMicros(older_than);
  int64_t max = static_cast<int64_t>(limit);
  {
    absl::StatusOr<Statement> identities = conn->Prepare(
        "DELETE FROM audit_identities WHERE id IN (SELECT id FROM audit_log "
        "WHERE time_us < ?1 ORDER BY time_us LIMIT ?2)");
    if (!identities.ok()) return identities.status();
    identities->Bind(1, before_us).Bind(2, max);
    if (absl::Status deleted = identities->Run(); !deleted.ok()) {
      return deleted;
    }
  }
  absl::StatusOr<Statement> entries = conn->Prepare(
      "DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log "
      "WHERE time_us < ?1 ORDER BY time_us LIMIT ?2)");
  if (!entries.ok()) return entries.status();
  entries->Bind(1, before_us).Bind(2, max);
  if (absl::Status deleted = entries->Run(); !deleted.ok()) return deleted;
  return static_cast<uint64_t>(sqlite3_changes(conn->handle()));
}

}  // namespace xmppfed::store::sqlite
