// Thin RAII layer over the SQLite C API for the SQLite store: a connection
// with a prepared-statement cache, a borrowed statement that resets itself,
// and a transaction that rolls back unless committed. Every SQLite error
// becomes an absl::Status; nothing throws.
//
// SQL text and contexts are absl::string_view (which is not std::string_view
// in every absl build, e.g. Debian's) since they go into absl::StrCat.
//
// A Connection is used by one thread at a time (the store's writer mutex or
// reader pool guarantees it); SQLite is opened in multi-thread mode.
#ifndef XMPPFED_AGENT_STORE_SQLITE_CONNECTION_H_
#define XMPPFED_AGENT_STORE_SQLITE_CONNECTION_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace xmppfed::store::sqlite {

// The status for SQLite result code `rc` on `db` (which may be null):
// UNAVAILABLE for BUSY/LOCKED (retryable), FAILED_PRECONDITION for a file
// that is not a database, DATA_LOSS for corruption, RESOURCE_EXHAUSTED for a
// full disk, INTERNAL otherwise. `context` says what was being done.
absl::Status SqliteError(sqlite3* db, int rc, absl::string_view context);

// A prepared statement borrowed from a Connection's cache (or owned, when the
// cached one is already in use). Destruction resets it and clears bindings,
// which also ends the read snapshot of a statement that was not stepped to
// the end. Columns and binds are 0- and 1-based, as in SQLite.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  Statement& Bind(int index, std::string_view text);
  Statement& BindBlob(int index, std::string_view bytes);
  Statement& Bind(int index, int64_t value);
  Statement& BindNull(int index);

  // true: a row is available; false: done. A bind failure is reported here.
  absl::StatusOr<bool> Step();
  // Steps to the end, for statements that return no rows.
  absl::Status Run();

  bool IsNull(int column) const;
  int64_t Int64(int column) const;
  // Valid until the next Step or the statement's destruction.
  std::string_view Text(int column) const;
  std::string_view Blob(int column) const;

 private:
  friend class Connection;
  Statement(sqlite3_stmt* stmt, bool* in_use, absl::string_view sql);

  sqlite3_stmt* stmt_;
  // Points into the cache entry when borrowed; null when owned.
  bool* in_use_;
  absl::string_view sql_;
  int bind_rc_ = SQLITE_OK;
};

class Connection {
 public:
  // Opens `path` (creating it when `create`), extended result codes on,
  // busy timeout set. Pragmas are the caller's business.
  static absl::StatusOr<std::unique_ptr<Connection>> Open(
      const std::string& path, bool create);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Runs one or more statements that return no rows of interest.
  absl::Status Exec(const char* sql);
  // The first column of the first row of `sql` as text (e.g. for pragmas).
  absl::StatusOr<std::string> QueryText(const char* sql);
  absl::StatusOr<int64_t> QueryInt64(const char* sql);

  // A prepared statement for `sql`, cached by its text: `sql` must be a
  // string with static storage (the cache keeps a view of it).
  absl::StatusOr<Statement> Prepare(absl::string_view sql);

  sqlite3* handle() const { return db_; }

 private:
  struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    std::unique_ptr<bool> in_use = std::make_unique<bool>(false);
  };
  explicit Connection(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  absl::flat_hash_map<absl::string_view, CachedStatement> cache_;
};

// BEGIN IMMEDIATE (writer) or BEGIN (reader) on construction, ROLLBACK on
// destruction unless Commit() succeeded. With the store's single writer
// connection, IMMEDIATE takes the write lock up front so that a transaction
// never fails half-way with BUSY after having read.
class Transaction {
 public:
  enum class Kind { kRead, kWrite };
  static absl::StatusOr<Transaction> Begin(Connection* conn, Kind kind);
  Transaction(Transaction&& other) noexcept
      : conn_(other.conn_), open_(other.open_) {
    other.open_ = false;
  }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  // Durable on return when the connection runs with synchronous=FULL.
  absl::Status Commit();

 private:
  explicit Transaction(Connection* conn) : conn_(conn), open_(true) {}
  Connection* conn_;
  bool open_;
};

}  // namespace xmppfed::store::sqlite

#endif  // XMPPFED_AGENT_STORE_SQLITE_CONNECTION_H_
