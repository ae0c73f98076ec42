#include "agent/store/sqlite_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "agent/store/sqlite_audit.h"
#include "agent/store/sqlite_invitations.h"
#include "agent/store/sqlite_partners.h"
#include "agent/store/sqlite_schema.h"
#include "agent/store/sqlite_settings.h"
#include "agent/store/sqlite_transaction.h"

namespace xmppfed::store {
namespace {

using sqlite::Connection;
using sqlite::Transaction;

// Read connections kept open between calls; more are opened on demand when
// many reads overlap, and closed when returned to a full pool. Each costs
// SQLite's default page cache (2 MiB at most), which bounds the memory.
constexpr size_t kMaxIdleReaders = 4;

// After a checkpoint the WAL file is truncated to this size, so one bulk
// import does not leave a large file behind for good. temp_store = MEMORY:
// statement journals and sorts never open a temporary file, so a change or
// a listing needs no new file descriptor (the API keeps working when the
// process has none to spare).
constexpr char kWriterPragmas[] =
    "PRAGMA synchronous = FULL;"
    "PRAGMA foreign_keys = ON;"
    "PRAGMA temp_store = MEMORY;"
    "PRAGMA journal_size_limit = 67108864;";
constexpr char kReaderPragmas[] =
    "PRAGMA query_only = ON;"
    "PRAGMA temp_store = MEMORY;";

// "cannot <what> <path>: <strerror>", coded by absl's errno table.
absl::Status ErrnoError(int error, const char* what, const std::string& path) {
  return absl::ErrnoToStatus(error, absl::StrCat("cannot ", what, " ", path));
}

// mkdir -p with mode 0700 for the directories it creates; existing ones are
// left as they are (their owner chose their mode).
absl::Status CreateParentDirectories(const std::filesystem::path& file) {
  std::vector<std::filesystem::path> missing;
  for (std::filesystem::path dir = file.parent_path();
       !dir.empty() && dir != dir.root_path(); dir = dir.parent_path()) {
    struct stat info;
    if (::stat(dir.c_str(), &info) == 0) break;
    missing.push_back(dir);
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (::mkdir(it->c_str(), 0700) != 0 && errno != EEXIST) {
      return ErrnoError(errno, "create directory", it->string());
    }
  }
  return absl::OkStatus();
}

// Creates the database file with mode 0600 before SQLite does (SQLite would
// use 0644); the WAL and shared-memory files inherit the database's mode.
// An existing file keeps the mode its owner gave it. Safe to open and close
// here: SQLite holds no lock on the file yet.
absl::Status CreatePrivateFile(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return absl::OkStatus();
    return ErrnoError(errno, "create", path.string());
  }
  ::close(fd);
  // The new directory entry must be as durable as the first commit into the
  // file (SQLite syncs the directory for the WAL it creates, not for this).
  int dir =
      ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  std::string dir_name = path.parent_path().string();
  if (dir < 0) return ErrnoError(errno, "open directory", dir_name);
  int synced = ::fsync(dir);
  int error = errno;
  ::close(dir);
  if (synced != 0) return ErrnoError(error, "sync directory", dir_name);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(
    std::string uri, const std::string& path) {
  // Absolute, so that a later chdir cannot move the store and a name such
  // as ":memory:" is a file like any other.
  std::error_code error;
  std::filesystem::path absolute = std::filesystem::absolute(path, error);
  if (error) {
    return absl::InternalError(
        absl::StrCat("cannot resolve ", path, ": ", error.message()));
  }
  std::string file = absolute.string();
  if (absl::Status made = CreateParentDirectories(absolute); !made.ok()) {
    return made;
  }
  // Before SQLite touches the file: a second agent must not even recover
  // the WAL of a store that is in use.
  absl::StatusOr<std::unique_ptr<StoreLock>> lock = StoreLock::Acquire(file);
  if (!lock.ok()) return lock.status();
  if (absl::Status created = CreatePrivateFile(absolute); !created.ok()) {
    return created;
  }
  absl::StatusOr<std::unique_ptr<Connection>> writer =
      Connection::Open(file, /*create=*/false);
  if (!writer.ok()) return writer.status();

  // WAL: readers never block the writer nor each other. The mode is stored
  // in the file; a file system that cannot do WAL (no shared memory) is
  // refused rather than silently run with readers blocking writes.
  absl::StatusOr<std::string> mode =
      (*writer)->QueryText("PRAGMA journal_mode = WAL");
  if (!mode.ok()) {
    return absl::Status(
        mode.status().code(),
        absl::StrCat("store ", file, ": ", mode.status().message()));
  }
  if (*mode != "wal") {
    return absl::FailedPreconditionError(absl::StrCat(
        "store ", file, ": cannot use write-ahead logging (mode ", *mode, ")"));
  }
  if (absl::Status set = (*writer)->Exec(kWriterPragmas); !set.ok()) {
    return set;
  }
  if (absl::Status migrated = sqlite::MigrateSchema(writer->get(), file);
      !migrated.ok()) {
    return migrated;
  }

  std::unique_ptr<SqliteStore> store(new SqliteStore(
      std::move(uri), file, *std::move(lock), *std::move(writer)));
  if (absl::Status ensured = store->EnsureDialbackPassphrase(); !ensured.ok()) {
    return ensured;
  }
  // Opens the pool's readers now: a store that cannot be read fails here
  // rather than on the first request, and reads keep working when the
  // process later runs out of file descriptors (the pool is only grown, on
  // demand, when more reads overlap than it holds).
  {
    std::vector<Reader> readers;
    for (size_t i = 0; i < kMaxIdleReaders; ++i) {
      absl::StatusOr<Reader> reader = store->AcquireReader();
      if (!reader.ok()) return reader.status();
      readers.push_back(*std::move(reader));
    }
  }
  return store;
}

SqliteStore::SqliteStore(std::string uri, std::string path,
                         std::unique_ptr<StoreLock> lock,
                         std::unique_ptr<Connection> writer)
    : uri_(std::move(uri)),
      path_(std::move(path)),
      lock_(std::move(lock)),
      writer_(std::move(writer)) {}

SqliteStore::~SqliteStore() = default;

SqliteStore::Reader::~Reader() {
  if (conn_ == nullptr) return;
  absl::MutexLock guard(&store_->readers_mutex_);
  if (store_->idle_readers_.size() < kMaxIdleReaders) {
    store_->idle_readers_.push_back(std::move(conn_));
  }
}

absl::StatusOr<SqliteStore::Reader> SqliteStore::AcquireReader() {
  {
    absl::MutexLock guard(&readers_mutex_);
    if (!idle_readers_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return Reader(this, std::move(conn));
    }
  }
  absl::StatusOr<std::unique_ptr<Connection>> conn =
      Connection::Open(path_, /*create=*/false);
  if (!conn.ok()) return conn.status();
  if (absl::Status set = (*conn)->Exec(kReaderPragmas); !set.ok()) return set;
  // A first read opens the write-ahead log, which the connection then keeps
  // open: every descriptor a reader needs is taken here, not mid-request.
  if (absl::StatusOr<int64_t> read =
          (*conn)->QueryInt64("SELECT count(*) FROM sqlite_master");
      !read.ok()) {
    return read.status();
  }
  return Reader(this, *std::move(conn));
}

absl::Status SqliteStore::Write(
    const std::function<absl::Status(Connection*, StoreChange*)>& change) {
  return CommitThenNotify(
      [&](Connection* writer, StoreChange* done) -> absl::StatusOr<bool> {
        absl::StatusOr<Transaction> txn =
            Transaction::Begin(writer, Transaction::Kind::kWrite);
        if (!txn.ok()) return txn.status();
        if (absl::Status changed = change(writer, done); !changed.ok()) {
          return changed;
        }
        if (absl::Status committed = txn->Commit(); !committed.ok()) {
          return committed;
        }
        return true;
      });
}

absl::Status SqliteStore::WriteWithoutNotice(
    const std::function<absl::Status(Connection*)>& change) {
  absl::MutexLock guard(&write_mutex_);
  absl::StatusOr<Transaction> txn =
      Transaction::Begin(writer_.get(), Transaction::Kind::kWrite);
  if (!txn.ok()) return txn.status();
  if (absl::Status changed = change(writer_.get()); !changed.ok()) {
    return changed;
  }
  return txn->Commit();
}

absl::Status SqliteStore::RunPartnerTransaction(
    const std::function<absl::StatusOr<TransactionEnd>(PartnerTransaction&)>&
        body) {
  return CommitThenNotify(
      [&](Connection* writer, StoreChange* done) -> absl::StatusOr<bool> {
        absl::StatusOr<Transaction> txn =
            Transaction::Begin(writer, Transaction::Kind::kWrite);
        if (!txn.ok()) return txn.status();
        sqlite::SqlitePartnerTransaction partners(writer);
        absl::StatusOr<TransactionEnd> end = body(partners);
        if (!end.ok()) return end.status();
        // Rolled back by the Transaction's destructor.
        if (*end == TransactionEnd::kRollBack) return false;
        if (absl::Status committed = txn->Commit(); !committed.ok()) {
          return committed;
        }
        partners.TakeChange(done);
        return true;
      });
}

// The listener runs outside the write lock (it may read the store, and the
// next writer need not wait for it), but inside the notice lock, which is
// taken before the write lock is released: the next commit's notice waits
// for this one.
absl::Status SqliteStore::CommitThenNotify(
    const std::function<absl::StatusOr<bool>(Connection*, StoreChange*)>&
        commit) {
  absl::ReleasableMutexLock write_lock(&write_mutex_);
  StoreChange change;
  absl::StatusOr<bool> committed = commit(writer_.get(), &change);
  if (!committed.ok()) return committed.status();
  if (!*committed) return absl::OkStatus();
  change.revision = ++revision_;
  absl::MutexLock notice(&notice_mutex_);
  write_lock.Release();
  std::shared_ptr<const Listener> listener;
  {
    absl::MutexLock guard(&listener_mutex_);
    listener = listener_;
  }
  if (listener != nullptr) (*listener)(change);
  return absl::OkStatus();
}

absl::Status SqliteStore::EnsureDialbackPassphrase() {
  absl::MutexLock guard(&write_mutex_);
  absl::StatusOr<Transaction> txn =
      Transaction::Begin(writer_.get(), Transaction::Kind::kWrite);
  if (!txn.ok()) return txn.status();
  absl::StatusOr<bool> generated =
      sqlite::EnsureDialbackPassphrase(writer_.get());
  if (!generated.ok()) return generated.status();
  return *generated ? txn->Commit() : absl::OkStatus();
}

absl::StatusOr<std::optional<v1::Partner>> SqliteStore::GetPartner(
    std::string_view identity) {
  absl::StatusOr<Reader> reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  return sqlite::ReadPartner(reader->get(), identity);
}

absl::StatusOr<std::optional<std::string>> SqliteStore::FindDomainOwner(
    std::string_view domain) {
  absl::StatusOr<Reader> reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  return sqlite::ReadDomainOwner(reader->get(), domain);
}

absl::Status SqliteStore::ForEachPartner(
    std::string_view glob,
    const std::function<bool(const v1::Partner&)>& visit) {
  absl::StatusOr<Reader> reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  return sqlite::ReadPartners(reader->get(), glob, visit);
}

absl::StatusOr<uint64_t> SqliteStore::CountPartners() {
  absl::StatusOr<Reader> reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  return sqlite::CountPartnerRows(reader->get());
}

absl::StatusOr<v1::Partner> SqliteStore::CreatePartner(
    const v1::Partner& partner, const v1::AuditEntry& audit) {
  v1::Partner stored;
  absl::Status written =
      Write([&](Connection* conn, StoreChange* done) -> absl::Status {
        absl::StatusOr<v1::Partner> inserted =
            sqlite::InsertPartner(conn, partner, sqlite::NowMicros());
        if (!inserted.ok()) return inserted.status();
        stored = *std::move(inserted);
        done->upserted.push_back(stored);
        return sqlite::InsertAuditEntry(conn, audit).status();
      });
  if (!written.ok()) return written;
  return stored;
}

absl::StatusOr<v1::Partner> SqliteStore::UpdatePartner(
    const v1::Partner& partner, std::optional<uint64_t> expected_revision,
    const v1::AuditEntry& audit) {
  v1::Partner stored;
  absl::Status written =
      Write([&](Connection* conn, StoreChange* done) -> absl::Status {
        absl::StatusOr<v1::Partner> replaced = sqlite::ReplacePartner(
            conn, partner, expected_revision, sqlite::NowMicros());
        if (!replaced.ok()) return replaced.status();
        stored = *std::move(replaced);
        done->upserted.push_back(stored);
        return sqlite::InsertAuditEntry(conn, audit).status();
      });
  if (!written.ok()) return written;
  return stored;
}

absl::StatusOr<std::vector<v1::Partner>> SqliteStore::DeletePartners(
    const std::vector<std::string>& identities,
    const DescribeRemoval& describe) {
  std::vector<v1::Partner> removed;
  if (identities.empty()) return removed;
  absl::Status written =
      Write([&](Connection* conn, StoreChange* done) -> absl::Status {
        absl::flat_hash_set<std::string_view> seen;
        for (const std::string& identity : identities) {
          // An explicit view: given the std::string itself, absl keeps a view
          // of a temporary copy (see CheckDomains).
          if (!seen.insert(std::string_view(identity)).second) continue;
          absl::StatusOr<v1::Partner> partner =
              sqlite::TakePartner(conn, identity);
          if (!partner.ok()) return partner.status();
          removed.push_back(*std::move(partner));
          done->removed.push_back(identity);
        }
        return sqlite::InsertAuditEntry(conn, describe(removed)).status();
      });
  if (!written.ok()) return written;
  return removed;
}

absl::StatusOr<std::optional<v1::GatewayConfig>>
SqliteStore::GetGatewayConfig() {
  absl::StatusOr<Reader> reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  return sqlite::ReadGatewayConfig(reader->get());
}

absl::StatusOr<v1::GatewayConfig> SqliteStore::PutGatewayConfig(
    const v1::GatewayConfig& config,
    const std::optional<std::string>& dialback_passphrase,
    std::optional<uint64_t> expected_revision, const v1::AuditEntry& audit) {
  v1::GatewayConfig stored;
  absl::Status written =
      Write([&](Connection* conn, StoreChange* done) -> absl::Status {
        absl::StatusOr<v1::GatewayConfig> put =
            sqlite::WriteGatewayConfig(conn, config, dialback_passphrase,
                                       expected_revision, sqlite::NowMicros());
        if (!put.ok()) return put.status();
        stored = *std::move(put);
        done->gateway_changed = true;
        return sqlite::InsertAuditEntry(conn, audit).status();
      });
  if (!written.ok()) return written;
  return stored;
}

absl::Status SqliteStore::RecordInvitations(
    const std::vector<Invitation>& invitations) {
  if (invitations.empty()) return absl::OkStatus();
  int64_t now_us = sqlite::NowMicros();
  return WriteWithoutNotice([&](Connection* conn) -> absl::Status {
    for (const Invitation& invitation : invitations) {
      absl::StatusOr<bool> inserted = sqlite::InsertInvitation(
          conn, invitation.local_jid, invitation.remote_jid, now_us);
      if (!inserted.ok()) return inserted.status();
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<bool> SqliteStore::HasInvitation(std::string_view local_jid,
                                                std::string_view remote_jid) {
  absl::StatusOr<Reader> reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  return sqlite::InvitationExists(reader->get(), local_jid, remote_jid);
}

absl::Status SqliteStore::ForEachInvitation(
    const std::function<bool(const Invitation&)>& visit) {
  absl::StatusOr<Reader> reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  return sqlite::ReadInvitations(reader->get(), visit);
}

absl::Status SqliteStore::RestoreSettings(
    const std::optional<v1::GatewayConfig>& config,
    const std::string& dialback_passphrase) {
  return Write([&](Connection* conn, StoreChange* done) {
    done->gateway_changed = true;
    return sqlite::RestoreSettings(conn, config, dialback_passphrase);
  });
}

absl::StatusOr<std::string> SqliteStore::GetDialbackPassphrase() {
  absl::StatusOr<Reader> reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  absl::StatusOr<std::optional<std::string>> passphrase =
      sqlite::ReadDialbackPassphrase(reader->get());
  if (!passphrase.ok()) return passphrase.status();
  if (!passphrase->has_value()) {
    return absl::DataLossError(
        "the store holds no dialback passphrase (it is created when the "
        "store is opened)");
  }
  return **std::move(passphrase);
}

void SqliteStore::SetChangeListener(
    std::function<void(const StoreChange&)> listener) {
  std::shared_ptr<const Listener> shared;
  if (listener) shared = std::make_shared<const Listener>(std::move(listener));
  absl::MutexLock guard(&listener_mutex_);
  listener_ = std::move(shared);
}

}  // namespace xmppfed::store
