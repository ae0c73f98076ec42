#include "agent/store/store_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace xmppfed::store {
namespace {

// "cannot <what> <path>: <strerror>", coded by absl's errno table.
absl::Status ErrnoError(int error, const char* what, const std::string& path) {
  return absl::ErrnoToStatus(error, absl::StrCat("cannot ", what, " ", path));
}

// The pid the holder wrote, or "unknown" (it may be between its flock and
// its write, or be an older file).
std::string HolderPid(int fd) {
  char buffer[32] = {};
  ssize_t n = ::pread(fd, buffer, sizeof(buffer) - 1, 0);
  int pid = 0;
  if (n > 0 &&
      absl::SimpleAtoi(absl::StripAsciiWhitespace(absl::string_view(buffer, n)),
                       &pid) &&
      pid > 0) {
    return absl::StrCat(pid);
  }
  return "unknown";
}

}  // namespace

absl::StatusOr<std::unique_ptr<StoreLock>> StoreLock::Acquire(
    const std::string& db_path) {
  // Named after the file itself, not the path given: through a symbolic
  // link (of the file or of a directory on its way) a second agent would
  // otherwise lock another file and reach the same database.
  std::error_code error;
  std::filesystem::path real =
      std::filesystem::weakly_canonical(db_path, error);
  std::string path = (error ? db_path : real.string()) + ".lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoError(errno, "open the lock file", path);
  int rc;
  do {
    rc = ::flock(fd, LOCK_EX | LOCK_NB);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    int failure = errno;
    std::string holder = failure == EWOULDBLOCK ? HolderPid(fd) : "";
    ::close(fd);
    if (failure != EWOULDBLOCK) return ErrnoError(failure, "lock", path);
    return absl::FailedPreconditionError(
        absl::StrCat("store ", db_path,
                     " is in use by another xmppfed-agent (pid ", holder, ")"));
  }
  // Only the holder writes, so a reader sees a stale pid at worst.
  std::string pid = absl::StrCat(::getpid(), "\n");
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) !=
                                     static_cast<ssize_t>(pid.size())) {
    int failure = errno;
    ::close(fd);
    return ErrnoError(failure, "write the lock file", path);
  }
  return std::unique_ptr<StoreLock>(new StoreLock(fd));
}

StoreLock::~StoreLock() { ::close(fd_); }

}  // namespace xmppfed::store
