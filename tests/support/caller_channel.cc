#include "tests/support/caller_channel.h"

#include <grp.h>
#include <grpcpp/create_channel_posix.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <thread>
#include <vector>

namespace xmppfed::testing {
namespace {

// Credentials are per thread in the kernel; glibc's set*id() would change
// every thread of the test. The raw system calls change only the calling
// thread, which ends right after connecting.
int ConnectAs(const passwd& user, const std::string& socket_path) {
  std::vector<gid_t> groups(64);
  int count = static_cast<int>(groups.size());
  if (::getgrouplist(user.pw_name, user.pw_gid, groups.data(), &count) < 0) {
    return -1;
  }
  if (::syscall(SYS_setgroups, count, groups.data()) != 0 ||
      ::syscall(SYS_setresgid, user.pw_gid, user.pw_gid, user.pw_gid) != 0 ||
      ::syscall(SYS_setresuid, user.pw_uid, user.pw_uid, user.pw_uid) != 0) {
    return -1;
  }
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socket_path.size() >= sizeof(address.sun_path)) return -1;
  std::memcpy(address.sun_path, socket_path.data(), socket_path.size());
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address),
                sizeof(address)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

std::shared_ptr<grpc::Channel> ChannelAs(const std::string& user,
                                         const std::string& socket_path) {
  const passwd* entry = ::getpwnam(user.c_str());
  if (entry == nullptr) return nullptr;
  passwd copy = *entry;
  std::string name = entry->pw_name;
  copy.pw_name = name.data();
  int fd = -1;
  std::thread connecting([&] { fd = ConnectAs(copy, socket_path); });
  connecting.join();
  if (fd < 0) return nullptr;
  return grpc::CreateInsecureChannelFromFd("agent", fd);
}

}  // namespace xmppfed::testing
