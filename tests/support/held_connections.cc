#include "tests/support/held_connections.h"

#include <fcntl.h>
#include <grp.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace xmppfed::testing {
namespace {

// Runs in the forked child of a threaded process: system calls only.
[[noreturn]] void HoldInChild(const sockaddr_un& address, uid_t uid, gid_t gid,
                              int count, int report_fd, int release_fd) {
  int connected = 0;
  if (::setgroups(0, nullptr) == 0 && ::setgid(gid) == 0 &&
      ::setuid(uid) == 0) {
    for (int i = 0; i < count; ++i) {
      int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
      if (fd < 0) break;
      if (::connect(fd, reinterpret_cast<const sockaddr*>(&address),
                    sizeof(address)) == 0) {
        ++connected;
      }
    }
  }
  ssize_t ignored = ::write(report_fd, &connected, sizeof(connected));
  (void)ignored;
  char byte;
  while (::read(release_fd, &byte, 1) < 0 && errno == EINTR) {
  }
  ::_exit(0);
}

}  // namespace

std::unique_ptr<HeldConnections> HeldConnections::Open(
    const std::string& socket_path, uid_t uid, gid_t gid, int count) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socket_path.size() >= sizeof(address.sun_path)) return nullptr;
  std::memcpy(address.sun_path, socket_path.data(), socket_path.size());
  int report[2], release[2];
  if (::pipe2(report, O_CLOEXEC) != 0) return nullptr;
  if (::pipe2(release, O_CLOEXEC) != 0) {
    ::close(report[0]);
    ::close(report[1]);
    return nullptr;
  }
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(report[0]);
    ::close(release[1]);
    HoldInChild(address, uid, gid, count, report[1], release[0]);
  }
  ::close(report[1]);
  ::close(release[0]);
  int connected = -1;
  if (pid < 0 || ::read(report[0], &connected, sizeof(connected)) !=
                     static_cast<ssize_t>(sizeof(connected))) {
    connected = -1;
  }
  ::close(report[0]);
  if (pid < 0) {
    ::close(release[1]);
    return nullptr;
  }
  return std::unique_ptr<HeldConnections>(
      new HeldConnections(pid, release[1], connected));
}

HeldConnections::~HeldConnections() {
  ::close(release_fd_);
  int status;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace xmppfed::testing
