// Exclusive ownership of an SQLite store by one process.
//
// SQLite itself lets several processes share a database; xmppfed does not,
// because the edge keeps a snapshot of the store in memory and would not see
// another agent's changes. The lock is an flock() on PATH.lock, a file of its
// own: locking the database file would mean opening and later closing another
// descriptor on it, and closing any descriptor on a file drops every POSIX
// lock the process holds on it, including SQLite's.
#ifndef XMPPFED_AGENT_STORE_STORE_LOCK_H_
#define XMPPFED_AGENT_STORE_STORE_LOCK_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace xmppfed::store {

class StoreLock {
 public:
  // Takes an exclusive, non-blocking flock on PATH.lock, PATH being
  // `db_path` with every symbolic link resolved (created with mode 0600) and
  // writes this process's pid into it. When another open file description holds
  // it (another process, or another open store in this one):
  // FAILED_PRECONDITION "store PATH is in use by another xmppfed-agent (pid
  // N)".
  static absl::StatusOr<std::unique_ptr<StoreLock>> Acquire(
      const std::string& db_path);
  StoreLock(const StoreLock&) = delete;
  StoreLock& operator=(const StoreLock&) = delete;
  // Releases the lock. The file stays: unlinking it would let a process that
  // already opened the old file and a newcomer both "hold" a lock.
  ~StoreLock();

 private:
  explicit StoreLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace xmppfed::store

#endif  // XMPPFED_AGENT_STORE_STORE_LOCK_H_
