// The SQLite store's schema and its migrations.
//
// The schema version lives in PRAGMA user_version. Migrations form an ordered
// list; migration N takes a database from version N-1 to N in one
// transaction of its own, so a crash leaves the database at a version, never
// between two. A database newer than this binary is refused rather than
// guessed at.
#ifndef XMPPFED_AGENT_STORE_SQLITE_SCHEMA_H_
#define XMPPFED_AGENT_STORE_SQLITE_SCHEMA_H_

#include <string>

#include "absl/status/status.h"
#include "agent/store/sqlite_connection.h"

namespace xmppfed::store::sqlite {

// The version the last migration produces.
int LatestSchemaVersion();

// Brings the database on `conn` (the writer, outside any transaction) to
// LatestSchemaVersion(). FAILED_PRECONDITION naming `path` when the database
// is newer than this binary.
absl::Status MigrateSchema(Connection* conn, const std::string& path);

}  // namespace xmppfed::store::sqlite

#endif  // XMPPFED_AGENT_STORE_SQLITE_SCHEMA_H_
