#include "cli/front/rpc_launcher.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "cli/exit_codes.h"

#if !defined(XMPPFED_LIBEXECDIR) || !defined(XMPPFED_RPC_BINARY) || \
    !defined(XMPPFED_RELATIVE_LIBEXECDIR)
#error "XMPPFED_*LIBEXECDIR and XMPPFED_RPC_BINARY come from the build"
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

std::vector<std::string> RpcCandidates() {
  std::vector<std::string> candidates;
  if (std::string dir = ExecutableDirectory(); !dir.empty()) {
    // The build tree, then an installation moved as a whole (cmake --install
    // --prefix, DESTDIR): bin/xmppfed next to libexec/xmppfed/.
    candidates.push_back(dir + "/" + XMPPFED_RPC_BINARY);
    candidates.push_back(dir + "/../" + XMPPFED_RELATIVE_LIBEXECDIR +
                         "/xmppfed/" + XMPPFED_RPC_BINARY);
  }
  candidates.push_back(std::string(XMPPFED_LIBEXECDIR) + "/" +
                       XMPPFED_RPC_BINARY);
  return candidates;
}

int ExecRpc(char** argv) {
  std::string looked;
  for (const std::string& path : RpcCandidates()) {
    looked += (looked.empty() ? "" : ", ") + path;
    if (::access(path.c_str(), X_OK) != 0) continue;
    ::execv(path.c_str(), argv);
    std::fprintf(stderr, "xmppfed: cannot run %s: %s\n", path.c_str(),
                 std::strerror(errno));
    return kExitRefused;
  }
  std::fprintf(stderr,
               "xmppfed: cannot find %s, the part of xmppfed that talks to "
               "the agent (looked at %s); reinstall xmppfed\n",
               XMPPFED_RPC_BINARY, looked.c_str());
  return kExitRefused;
}

}  // namespace xmppfed::cli
