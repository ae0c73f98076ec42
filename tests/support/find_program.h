// Finding an optional tool (mandoc, systemd-analyze, etcd) on $PATH, so that a
// test that needs it can skip, saying so, where it is not installed.
#ifndef XMPPFED_TESTS_SUPPORT_FIND_PROGRAM_H_
#define XMPPFED_TESTS_SUPPORT_FIND_PROGRAM_H_

#include <unistd.h>

#include <cstdlib>
#include <sstream>
#include <string>

namespace xmppfed::testing {

// The path of `name` in $PATH, or "" when it is not there.
inline std::string FindProgram(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path == nullptr ? "" : path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_SUPPORT_FIND_PROGRAM_H_
