// SqliteStore's audit log methods (the rest is in sqlite_store.cc). Entries
// written with a change are in the change's own transaction there.
#include "agent/store/sqlite_audit.h"
#include "agent/store/sqlite_store.h"

namespace xmppfed::store {

absl::Status SqliteStore::AppendAuditEntry(const v1::AuditEntry& entry) {
  return WriteWithoutNotice([&](sqlite::Connection* conn) {
    return sqlite::InsertAuditEntry(conn, entry).status();
  });
}

absl::Status SqliteStore::ForEachAuditEntry(
    const AuditFilter& filter,
    const std::function<bool(const v1::AuditEntry&)>& visit) {
  absl::StatusOr<Reader> reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  return sqlite::ReadAuditEntries(reader->get(), filter, visit);
}

absl::StatusOr<uint64_t> SqliteStore::PruneAuditEntries(absl::Time older_than,
                                                        uint64_t limit) {
  uint64_t removed = 0;
  absl::Status pruned = WriteWithoutNotice([&](sqlite::Connection* conn) {
    absl::StatusOr<uint64_t> count =
        sqlite::DeleteAuditEntriesBefore(conn, older_than, limit);
    if (!count.ok()) return count.status();
    removed = *count;
    return absl::OkStatus();
  });
  if (!pruned.ok()) return pruned;
  return removed;
}

}  // namespace xmppfed::store
