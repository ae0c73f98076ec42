// The audit log of the SQLite store (see the audit contract in store.h).
// Writers run inside a write transaction the caller opened, the reader on a
// read connection.
//
// audit_log holds one row per entry: the serialized v1::AuditEntry (id 0;
// the row's key is the id) and the columns the filters use.
#ifndef XMPPFED_AGENT_STORE_SQLITE_AUDIT_H_
#define XMPPFED_AGENT_STORE_SQLITE_AUDIT_H_

#include <cstdint>
#include <functional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agent/store/sqlite_connection.h"
#include "agent/store/store.h"

namespace xmppfed::store::sqlite {

// Appends `entry` (its id ignored) and returns the new id.
absl::StatusOr<uint64_t> InsertAuditEntry(Connection* conn,
                                          const v1::AuditEntry& entry);

// InsertAuditEntry when entry.id() is 0, else replaces the entry with that
// id (NOT_FOUND when there is none) and returns it.
absl::StatusOr<uint64_t> PutAuditEntry(Connection* conn,
                                       const v1::AuditEntry& entry);

// The entries `filter` selects, newest first, until `visit` returns false.
absl::Status ReadAuditEntries(
    Connection* conn, const AuditFilter& filter,
    const std::function<bool(const v1::AuditEntry&)>& visit);

// Deletes the oldest entries (lowest ids) as long as they are older than
// `older_than`, at most `limit`; returns how many. Reads at most `limit`
// rows, so the write lock is held for a bounded time whatever the log's
// size; an entry out of time order waits until those before it go.
absl::StatusOr<uint64_t> DeleteAuditEntriesBefore(Connection* conn,
                                                  absl::Time older_than,
                                                  uint64_t limit);

}  // namespace xmppfed::store::sqlite

#endif  // XMPPFED_AGENT_STORE_SQLITE_AUDIT_H_
