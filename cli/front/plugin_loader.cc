#include "cli/front/plugin_loader.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <system_error>

#include "cli/exit_codes.h"

#if !defined(XMPPFED_PKGLIBDIR) || !defined(XMPPFED_CLI_PLUGIN_FILE)
#error "XMPPFED_PKGLIBDIR and XMPPFED_CLI_PLUGIN_FILE come from the build"
#endif

namespace xmppfed::cli {
namespace {

std::string ExecutableDirectory() {
  std::error_code error;
  std::filesystem::path self =
      std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::string() : self.parent_path().string();
}

}  // namespace

std::vector<std::string> PluginCandidates() {
  std::vector<std::string> candidates;
  if (std::string dir = ExecutableDirectory(); !dir.empty()) {
    candidates.push_back(dir + "/" + XMPPFED_CLI_PLUGIN_FILE);
  }
  candidates.push_back(std::string(XMPPFED_PKGLIBDIR) + "/" +
                       XMPPFED_CLI_PLUGIN_FILE);
  return candidates;
}

int RunInPlugin(const Invocation& invocation) {
  std::vector<std::string> candidates = PluginCandidates();
  std::string looked;
  for (const std::string& path : candidates) {
    looked += (looked.empty() ? "" : ", ") + path;
    if (::access(path.c_str(), F_OK) != 0) continue;
    // RTLD_LOCAL keeps gRPC's symbols to the plugin. The handle is never
    // closed: gRPC's threads and atexit handlers live until the process ends.
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      std::fprintf(stderr, "xmppfed: cannot load %s: %s\n", path.c_str(),
                   ::dlerror());
      return kExitRefused;
    }
    auto run = reinterpret_cast<RunFunction>(::dlsym(handle, kRunSymbol));
    if (run == nullptr) {
      std::fprintf(stderr, "xmppfed: %s has no %s; reinstall xmppfed\n",
                   path.c_str(), kRunSymbol);
      return kExitRefused;
    }
    return run(&invocation, kInvocationAbi);
  }
  std::fprintf(stderr,
               "xmppfed: cannot find %s, the part of xmppfed that talks to "
               "the agent (looked at %s); reinstall xmppfed\n",
               XMPPFED_CLI_PLUGIN_FILE, looked.c_str());
  return kExitRefused;
}

}  // namespace xmppfed::cli
