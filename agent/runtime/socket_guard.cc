#include "agent/runtime/socket_guard.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace xmppfed::runtime {
namespace {

std::string ReadSmallFile(int fd) {
  char buffer[32] = {};
  ssize_t n = ::pread(fd, buffer, sizeof(buffer) - 1, 0);
  if (n <= 0) return "";
  std::string text(buffer, static_cast<size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

// Creates `dir` and each missing directory above it with mode 0750 (not the
// 0700 the agent's umask would give): the group must reach the socket
// through every one of them.
absl::Status MakeDirectories(const std::filesystem::path& dir,
                             const std::string& socket_path) {
  std::filesystem::path path;
  for (const std::filesystem::path& part : dir) {
    path /= part;
    if (::mkdir(path.c_str(), 0750) == 0) {
      ::chmod(path.c_str(), 0750);
    } else if (errno != EEXIST) {
      return absl::FailedPreconditionError(
          absl::StrCat("socket=", socket_path, ": cannot create ",
                       path.string(), ": ", std::strerror(errno)));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<SocketGuard>> SocketGuard::Acquire(
    const std::string& socket_path) {
  if (socket_path.size() >= sizeof(sockaddr_un::sun_path)) {
    return absl::InvalidArgumentError(
        absl::StrCat("socket=", socket_path, ": longer than ",
                     sizeof(sockaddr_un::sun_path) - 1,
                     " bytes, the limit of a Unix socket path"));
  }
  if (absl::Status made = MakeDirectories(
          std::filesystem::path(socket_path).parent_path(), socket_path);
      !made.ok()) {
    return made;
  }
  std::string lock_path = socket_path + ".lock";
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("socket=", socket_path, ": cannot open ", lock_path, ": ",
                     std::strerror(errno)));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    std::string holder = ReadSmallFile(fd);
    ::close(fd);
    return absl::FailedPreconditionError(absl::StrCat(
        "socket ", socket_path, " is served by another xmppfed-agent",
        holder.empty() ? "" : absl::StrCat(" (pid ", holder, ")"),
        "; stop it or pass another --socket"));
  }
  std::string pid = absl::StrCat(::getpid(), "\n");
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    // The pid is only informative; the lock itself is what protects.
  }
  ::unlink(socket_path.c_str());
  return std::unique_ptr<SocketGuard>(new SocketGuard(fd, socket_path));
}

absl::StatusOr<pid_t> SocketGuard::FindHolder(const std::string& socket_path) {
  std::string lock_path = socket_path + ".lock";
  auto none = [&] {
    return absl::FailedPreconditionError(absl::StrCat(
        "no xmppfed-agent serves socket ", socket_path,
        " (check --socket, or the socket of the agent's configuration)"));
  };
  int fd = ::open(lock_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return none();
    return absl::FailedPreconditionError(
        absl::StrCat("cannot open ", lock_path, ": ", std::strerror(errno)));
  }
  if (::flock(fd, LOCK_SH | LOCK_NB) == 0) {
    ::close(fd);
    return none();
  }
  // The holder writes its pid right after taking the lock.
  std::string holder;
  for (int attempt = 0; attempt < 100 && holder.empty(); ++attempt) {
    holder = ReadSmallFile(fd);
    if (holder.empty()) ::usleep(10 * 1000);
  }
  ::close(fd);
  pid_t pid = 0;
  if (!absl::SimpleAtoi(holder, &pid) || pid <= 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("the agent serving socket ", socket_path,
                     " did not write its pid into ", lock_path));
  }
  return pid;
}

SocketGuard::SocketGuard(int lock_fd, std::string socket_path)
    : lock_fd_(lock_fd), socket_path_(std::move(socket_path)) {}

SocketGuard::~SocketGuard() {
  ::unlink(socket_path_.c_str());
  // The lock file stays: unlinking it while locked would let a second agent
  // lock a fresh file while a third still holds the old one.
  ::close(lock_fd_);
}

}  // namespace xmppfed::runtime
