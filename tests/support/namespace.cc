#include "tests/support/namespace.h"

#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace xmppfed::testing {
namespace {

std::string Errno(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

// The namespace's loopback starts down; `ip link set lo up` without ip(8).
std::string BringLoopbackUp() {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Errno("socket");
  ifreq request{};
  std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
  std::string error;
  if (::ioctl(fd, SIOCGIFFLAGS, &request) != 0) {
    error = Errno("SIOCGIFFLAGS lo");
  } else {
    request.ifr_flags |= IFF_UP | IFF_RUNNING;
    if (::ioctl(fd, SIOCSIFFLAGS, &request) != 0) {
      error = Errno("SIOCSIFFLAGS lo");
    }
  }
  ::close(fd);
  return error;
}

std::string WriteAndBind(const std::string& file, const std::string& content,
                         const std::string& target) {
  {
    std::ofstream out(file, std::ios::trunc);
    out << content;
    if (!out) return "cannot write " + file;
  }
  if (::mount(file.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) != 0) {
    return Errno("bind-mounting " + file + " over " + target);
  }
  return "";
}

// Whether an earlier call of this process bind-mounted the files: the new
// mount namespace starts as a copy of that one, with those mounts on top
// (their files possibly gone with an earlier test's directory).
bool mounted_before = false;

}  // namespace

std::string EnterPrivateNetwork(const std::string& dir,
                                const PrivateNetworkOptions& options) {
  if (::geteuid() != 0) {
    return "needs root (a private network and mount namespace)";
  }
  if (::unshare(CLONE_NEWNS | CLONE_NEWNET) != 0) {
    return Errno("unshare(CLONE_NEWNS | CLONE_NEWNET)");
  }
  // Mounts made from here on never propagate back to the host.
  if (::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    return Errno("making / private");
  }
  if (std::string error = BringLoopbackUp(); !error.empty()) return error;
  if (mounted_before) {
    ::umount2("/etc/hosts", MNT_DETACH);
    ::umount2("/etc/resolv.conf", MNT_DETACH);
  }

  std::string hosts =
      "127.0.0.1\tlocalhost\n"
      "::1\tlocalhost ip6-localhost ip6-loopback\n";
  for (const auto& [address, name] : options.hosts) {
    hosts += address + "\t" + name + "\n";
  }
  if (std::string error = WriteAndBind(dir + "/hosts", hosts, "/etc/hosts");
      !error.empty()) {
    return error;
  }
  mounted_before = true;
  return WriteAndBind(dir + "/resolv.conf",
                      "nameserver " + options.nameserver + "\n",
                      "/etc/resolv.conf");
}

}  // namespace xmppfed::testing
