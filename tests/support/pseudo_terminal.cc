#include "tests/support/pseudo_terminal.h"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace xmppfed::testing {

PseudoTerminal::PseudoTerminal() {
  master_ = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master_ < 0 || ::grantpt(master_) != 0 || ::unlockpt(master_) != 0) {
    error_ =
        std::string("cannot open a pseudo-terminal: ") + std::strerror(errno);
    return;
  }
  char name[128];
  if (::ptsname_r(master_, name, sizeof(name)) != 0) {
    error_ = std::string("ptsname: ") + std::strerror(errno);
    return;
  }
  device_ = name;
}

PseudoTerminal::~PseudoTerminal() {
  if (master_ >= 0) ::close(master_);
}

bool PseudoTerminal::WaitFor(const std::string& text,
                             std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (shown_.find(text) == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || master_ < 0) return false;
    pollfd readable{master_, POLLIN, 0};
    int ready = ::poll(&readable, 1, static_cast<int>(left.count()));
    if (ready <= 0) continue;
    char buffer[4096];
    ssize_t n = ::read(master_, buffer, sizeof(buffer));
    if (n > 0) {
      shown_.append(buffer, static_cast<size_t>(n));
    } else {
      // EIO until the program has the terminal open (and after it closed
      // it): nothing to read yet.
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  return true;
}

bool PseudoTerminal::Type(const std::string& text) {
  return master_ >= 0 && ::write(master_, text.data(), text.size()) ==
                             static_cast<ssize_t>(text.size());
}

}  // namespace xmppfed::testing
