#include "agent/store/sqlite_connection.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace xmppfed::store::sqlite {
namespace {

// Long enough to ride out a checkpoint or WAL recovery by another
// connection; writers never wait on each other (one writer per store).
constexpr int kBusyTimeoutMs = 5000;

}  // namespace

absl::Status SqliteError(sqlite3* db, int rc, absl::string_view context) {
  std::string message =
      absl::StrCat("sqlite: ", context, ": ",
                   db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(message);
    case SQLITE_NOTADB:
      return absl::FailedPreconditionError(message);
    case SQLITE_CORRUPT:
      return absl::DataLossError(message);
    case SQLITE_FULL:
      return absl::ResourceExhaustedError(message);
    default:
      return absl::InternalError(message);
  }
}

Statement::Statement(sqlite3_stmt* stmt, bool* in_use, absl::string_view sql)
    : stmt_(stmt), in_use_(in_use), sql_(sql) {}

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)),
      in_use_(std::exchange(other.in_use_, nullptr)),
      sql_(other.sql_),
      bind_rc_(other.bind_rc_) {}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  if (in_use_ == nullptr) {
    sqlite3_finalize(stmt_);
    return;
  }
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  *in_use_ = false;
}

Statement& Statement::Bind(int index, std::string_view text) {
  int rc = sqlite3_bind_text64(stmt_, index, text.data(), text.size(),
                               SQLITE_TRANSIENT, SQLITE_UTF8);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view bytes) {
  int rc = sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(),
                               SQLITE_TRANSIENT);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Statement& Statement::Bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Statement& Statement::BindNull(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

absl::StatusOr<bool> Statement::Step() {
  sqlite3* db = sqlite3_db_handle(stmt_);
  if (bind_rc_ != SQLITE_OK) {
    return SqliteError(db, bind_rc_, absl::StrCat("binding ", sql_));
  }
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(db, rc, sql_);
}

absl::Status Statement::Run() {
  while (true) {
    absl::StatusOr<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
  }
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int64_t Statement::Int64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string_view Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string_view(reinterpret_cast<const char*>(text),
                          sqlite3_column_bytes(stmt_, column));
}

std::string_view Statement::Blob(int column) const {
  const void* blob = sqlite3_column_blob(stmt_, column);
  if (blob == nullptr) return {};
  return std::string_view(static_cast<const char*>(blob),
                          sqlite3_column_bytes(stmt_, column));
}

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(
    const std::string& path, bool create) {
  sqlite3* db = nullptr;
  // NOMUTEX: each connection is confined to one thread at a time by the
  // store; EXRESCODE: errors keep their detail (e.g. SQLITE_IOERR_FSYNC).
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
              SQLITE_OPEN_EXRESCODE | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    absl::Status status = SqliteError(db, rc, absl::StrCat("opening ", path));
    sqlite3_close_v2(db);
    return status;
  }
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  return std::unique_ptr<Connection>(new Connection(db));
}

Connection::~Connection() {
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
  cache_.clear();
  sqlite3_close_v2(db_);
}

absl::Status Connection::Exec(const char* sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
  if (rc == SQLITE_OK) return absl::OkStatus();
  sqlite3_free(error);
  return SqliteError(db_, rc, sql);
}

absl::StatusOr<std::string> Connection::QueryText(const char* sql) {
  absl::StatusOr<Statement> stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::string();
  return std::string(stmt->Text(0));
}

absl::StatusOr<int64_t> Connection::QueryInt64(const char* sql) {
  absl::StatusOr<Statement> stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return int64_t{0};
  return stmt->Int64(0);
}

absl::StatusOr<Statement> Connection::Prepare(absl::string_view sql) {
  CachedStatement& cached = cache_[sql];
  bool cacheable = !*cached.in_use;
  sqlite3_stmt* stmt = cacheable ? cached.stmt : nullptr;
  if (stmt == nullptr) {
    // PERSISTENT: the statement lives for the connection's lifetime.
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                cacheable ? SQLITE_PREPARE_PERSISTENT : 0,
                                &stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, sql);
    if (cacheable) cached.stmt = stmt;
  }
  if (!cacheable) return Statement(stmt, nullptr, sql);
  *cached.in_use = true;
  return Statement(stmt, cached.in_use.get(), sql);
}

absl::StatusOr<Transaction> Transaction::Begin(Connection* conn, Kind kind) {
  absl::Status begun =
      conn->Exec(kind == Kind::kWrite ? "BEGIN IMMEDIATE" : "BEGIN");
  if (!begun.ok()) return begun;
  return Transaction(conn);
}

Transaction::~Transaction() {
  // A failed COMMIT can leave the transaction open; ROLLBACK is harmless
  // when SQLite already rolled back on its own.
  if (open_ && !sqlite3_get_autocommit(conn_->handle())) {
    conn_->Exec("ROLLBACK").IgnoreError();
  }
}

absl::Status Transaction::Commit() {
  absl::Status committed = conn_->Exec("COMMIT");
  if (committed.ok()) open_ = false;
  return committed;
}

}  // namespace xmppfed::store::sqlite
