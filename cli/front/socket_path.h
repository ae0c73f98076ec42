// Where the CLI looks for the agent's API socket (SPEC §5, §6).
#ifndef XMPPFED_CLI_FRONT_SOCKET_PATH_H_
#define XMPPFED_CLI_FRONT_SOCKET_PATH_H_

#include <functional>
#include <string>

namespace xmppfed::cli {

// The inputs of the choice, injectable for tests.
struct SocketEnvironment {
  std::string xmppfed_socket;   // $XMPPFED_SOCKET, "" when unset
  std::string xdg_runtime_dir;  // $XDG_RUNTIME_DIR, "" when unset
  bool is_root = false;         // effective uid 0
  std::function<bool(const std::string&)> exists;
};

// The real environment of this process.
SocketEnvironment CurrentSocketEnvironment();

inline constexpr const char kSystemSocketPath[] = "/run/xmppfed/agent.sock";

// --socket, else $XMPPFED_SOCKET, else for root (or without XDG_RUNTIME_DIR)
// /run/xmppfed/agent.sock, else $XDG_RUNTIME_DIR/xmppfed/agent.sock, except
// that a user whose own socket does not exist while the system agent's does
// is pointed at the system agent (the usual case of an operator's shell on a
// host where systemd runs the agent).
std::string ResolveSocketPath(const std::string& flag,
                              const SocketEnvironment& env);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_FRONT_SOCKET_PATH_H_
