// Makes the API socket path safe to bind: one agent per socket.
#ifndef XMPPFED_AGENT_RUNTIME_SOCKET_GUARD_H_
#define XMPPFED_AGENT_RUNTIME_SOCKET_GUARD_H_

#include <sys/types.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"

namespace xmppfed::runtime {

// Holds an exclusive flock on "<socket>.lock" for its lifetime. Acquire()
// creates the socket's directory and any missing one above it (mode 0750:
// the owner's group may reach the socket) and removes a stale socket file left
// by an agent that died, which is safe only because the lock proves no live
// agent owns it.
class SocketGuard {
 public:
  // FAILED_PRECONDITION naming the path and the holder's pid when another
  // agent serves this socket.
  static absl::StatusOr<std::unique_ptr<SocketGuard>> Acquire(
      const std::string& socket_path);
  // The pid of the agent serving `socket_path` (the holder of its lock);
  // FAILED_PRECONDITION "no xmppfed-agent serves socket PATH" when none does.
  static absl::StatusOr<pid_t> FindHolder(const std::string& socket_path);
  ~SocketGuard();
  SocketGuard(const SocketGuard&) = delete;
  SocketGuard& operator=(const SocketGuard&) = delete;

 private:
  SocketGuard(int lock_fd, std::string socket_path);
  int lock_fd_;
  std::string socket_path_;
};

}  // namespace xmppfed::runtime

#endif  // XMPPFED_AGENT_RUNTIME_SOCKET_GUARD_H_
