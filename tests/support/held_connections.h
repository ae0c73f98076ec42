// Connections to a Unix socket held open by a child process running as
// another user: to fill an agent's descriptors, or its per-user limit, from
// a caller the agent identifies by its credentials (SO_PEERCRED).
#ifndef XMPPFED_TESTS_SUPPORT_HELD_CONNECTIONS_H_
#define XMPPFED_TESTS_SUPPORT_HELD_CONNECTIONS_H_

#include <sys/types.h>

#include <memory>
#include <string>

namespace xmppfed::testing {

class HeldConnections {
 public:
  // Forks a child that drops to `uid`/`gid` (no supplementary groups; the
  // test must run as root), connects `count` times to `socket_path` and
  // keeps every connection open until this object is destroyed. Returns
  // once the child has tried them all; nullptr if the child could not start.
  static std::unique_ptr<HeldConnections> Open(const std::string& socket_path,
                                               uid_t uid, gid_t gid, int count);
  // Closes the connections (the child exits) and waits for the child.
  ~HeldConnections();

  // How many connect() calls succeeded.
  int connected() const { return connected_; }

  HeldConnections(const HeldConnections&) = delete;
  HeldConnections& operator=(const HeldConnections&) = delete;

 private:
  HeldConnections(pid_t pid, int release_fd, int connected)
      : pid_(pid), release_fd_(release_fd), connected_(connected) {}
  pid_t pid_;
  int release_fd_;
  int connected_;
};

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_SUPPORT_HELD_CONNECTIONS_H_
