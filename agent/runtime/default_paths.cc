#include "agent/runtime/default_paths.h"

#include <unistd.h>

#include <cstdlib>

namespace xmppfed::runtime {
namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

}  // namespace

std::string DefaultSocketPath() {
  if (std::string dir = Env("RUNTIME_DIRECTORY"); !dir.empty()) {
    return dir + "/agent.sock";
  }
  if (::geteuid() != 0) {
    if (std::string dir = Env("XDG_RUNTIME_DIR"); !dir.empty()) {
      return dir + "/xmppfed/agent.sock";
    }
  }
  return "/run/xmppfed/agent.sock";
}

std::string DefaultStoreUri() {
  if (std::string dir = Env("STATE_DIRECTORY"); !dir.empty()) {
    return "sqlite:" + dir + "/xmppfed.db";
  }
  if (::geteuid() == 0) return "sqlite:/var/lib/xmppfed/xmppfed.db";
  std::string state = Env("XDG_STATE_HOME");
  if (state.empty()) state = Env("HOME") + "/.local/state";
  return "sqlite:" + state + "/xmppfed/xmppfed.db";
}

}  // namespace xmppfed::runtime
