#include "cli/front/socket_path.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

namespace xmppfed::cli {
namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

}  // namespace

SocketEnvironment CurrentSocketEnvironment() {
  SocketEnvironment env;
  env.xmppfed_socket = Env("XMPPFED_SOCKET");
  env.xdg_runtime_dir = Env("XDG_RUNTIME_DIR");
  env.is_root = ::geteuid() == 0;
  env.exists = [](const std::string& path) {
    struct stat info;
    return ::stat(path.c_str(), &info) == 0;
  };
  return env;
}

std::string ResolveSocketPath(const std::string& flag,
                              const SocketEnvironment& env) {
  if (!flag.empty()) return flag;
  if (!env.xmppfed_socket.empty()) return env.xmppfed_socket;
  if (env.is_root || env.xdg_runtime_dir.empty()) return kSystemSocketPath;
  std::string user_socket = env.xdg_runtime_dir + "/xmppfed/agent.sock";
  if (env.exists && !env.exists(user_socket) && env.exists(kSystemSocketPath)) {
    return kSystemSocketPath;
  }
  return user_socket;
}

}  // namespace xmppfed::cli
