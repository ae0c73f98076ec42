#include "agent/store/sqlite_audit.h"

#include <string>
#include <utility>

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

// ",a.example,b.example,": every identity between commas, so that an
// identity (which has no comma) is found as ",identity,".
std::string IdentitiesColumn(const v1::AuditEntry& entry) {
  std::string column = ",";
  for (const std::string& identity : entry.identities()) {
    absl::StrAppend(&column, identity, ",");
  }
  return column;
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

// Binds the columns ?2..?8 of `entry` (?1 is the id).
void BindColumns(Statement& stmt, const v1::AuditEntry& entry) {
  stmt.Bind(2, TimeMicros(entry))
      .Bind(3, static_cast<int64_t>(entry.caller().uid()))
      .Bind(4, entry.caller().user())
      .Bind(5, entry.verb())
      .Bind(6, static_cast<int64_t>(entry.result()))
      .Bind(7, IdentitiesColumn(entry))
      .BindBlob(8, EntryBlob(entry));
}

}  // namespace

absl::StatusOr<uint64_t> InsertAuditEntry(Connection* conn,
                                          const v1::AuditEntry& entry) {
  absl::StatusOr<Statement> stmt = conn->Prepare(
      "INSERT INTO audit_log (id, time_us, uid, user, verb, result, "
      "identities, entry) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!stmt.ok()) return stmt.status();
  stmt->BindNull(1);
  BindColumns(*stmt, entry);
  if (absl::Status inserted = stmt->Run(); !inserted.ok()) return inserted;
  return static_cast<uint64_t>(sqlite3_last_insert_rowid(conn->handle()));
}

absl::StatusOr<uint64_t> PutAuditEntry(Connection* conn,
                                       const v1::AuditEntry& entry) {
  if (entry.id() == 0) return InsertAuditEntry(conn, entry);
  absl::StatusOr<Statement> stmt = conn->Prepare(
      "UPDATE audit_log SET time_us = ?2, uid = ?3, user = ?4, verb = ?5, "
      "result = ?6, identities = ?7, entry = ?8 WHERE id = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, static_cast<int64_t>(entry.id()));
  BindColumns(*stmt, entry);
  if (absl::Status updated = stmt->Run(); !updated.ok()) return updated;
  if (sqlite3_changes(conn->handle()) == 0) {
    return absl::NotFoundError(
        absl::StrCat("audit entry ", entry.id(), " is not in the store"));
  }
  return entry.id();
}

absl::Status ReadAuditEntries(
    Connection* conn, const AuditFilter& filter,
    const std::function<bool(const v1::AuditEntry&)>& visit) {
  // One statement for every combination: an unused filter is bound to NULL.
  // Newest first is the rowid backwards.
  absl::StatusOr<Statement> stmt = conn->Prepare(
      "SELECT id, entry FROM audit_log "
      "WHERE (?1 IS NULL OR time_us >= ?1) AND (?2 IS NULL OR time_us <= ?2) "
      "AND (?3 IS NULL OR user = ?3 OR uid = ?4) "
      "AND (?5 IS NULL OR verb = ?5) AND (?6 IS NULL OR result = ?6) "
      "AND (?7 IS NULL OR instr(identities, ?7) > 0) "
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
  std::string identity = absl::StrCat(",", filter.identity, ",");
  if (filter.identity.empty()) {
    stmt->BindNull(7);
  } else {
    stmt->Bind(7, identity);
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
  int64_t last_old = -1;
  uint64_t count = 0;
  {
    absl::StatusOr<Statement> oldest =
        conn->Prepare("SELECT id, time_us FROM audit_log ORDER BY id LIMIT ?1");
    if (!oldest.ok()) return oldest.status();
    oldest->Bind(1, static_cast<int64_t>(limit));
    while (true) {
      absl::StatusOr<bool> row = oldest->Step();
      if (!row.ok()) return row.status();
      if (!*row || oldest->Int64(1) >= before_us) break;
      last_old = oldest->Int64(0);
      ++count;
    }
  }
  if (count == 0) return 0;
  absl::StatusOr<Statement> remove =
      conn->Prepare("DELETE FROM audit_log WHERE id <= ?1");
  if (!remove.ok()) return remove.status();
  remove->Bind(1, last_old);
  if (absl::Status deleted = remove->Run(); !deleted.ok()) return deleted;
  return count;
}

}  // namespace xmppfed::store::sqlite
