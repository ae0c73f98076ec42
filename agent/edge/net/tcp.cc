#include "agent/edge/net/tcp.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace xmppfed::edge::net {
namespace {

// Fills `address` for `ip`; false when it is not an IP literal.
bool MakeAddress(const std::string& ip, uint16_t port,
                 sockaddr_storage* address, socklen_t* size) {
  std::memset(address, 0, sizeof *address);
  auto* v4 = reinterpret_cast<sockaddr_in*>(address);
  if (inet_pton(AF_INET, ip.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    *size = sizeof(sockaddr_in);
    return true;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(address);
  if (inet_pton(AF_INET6, ip.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    *size = sizeof(sockaddr_in6);
    return true;
  }
  return false;
}

std::string Describe(const sockaddr_storage& address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&address);
    inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
    return absl::StrCat(text, ":", ntohs(v4->sin_port));
  }
  if (address.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&address);
    inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
    return absl::StrCat("[", text, "]:", ntohs(v6->sin6_port));
  }
  return "";
}

}  // namespace

absl::StatusOr<int> ListenTcp(const std::string& host, uint16_t port,
                              int backlog) {
  sockaddr_storage address;
  socklen_t size;
  std::string ip = host.empty() ? "::" : host;
  if (!MakeAddress(ip, port, &address, &size)) {
    return absl::InvalidArgumentError(
        absl::StrCat("listen address ", host, " is not an IP address"));
  }
  int fd = ::socket(address.ss_family,
                    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::ErrnoToStatus(errno, "socket");
  int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  if (address.ss_family == AF_INET6) {
    int off = 0;
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
  }
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
      ::listen(fd, backlog) != 0) {
    int error = errno;
    ::close(fd);
    return absl::ErrnoToStatus(
        error, absl::StrCat("cannot listen on ", Describe(address)));
  }
  return fd;
}

absl::StatusOr<uint16_t> LocalPort(int fd) {
  sockaddr_storage address{};
  socklen_t size = sizeof address;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    return absl::ErrnoToStatus(errno, "getsockname");
  }
  if (address.ss_family == AF_INET) {
    return ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
  }
  return ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
}

absl::StatusOr<int> AcceptConnection(int listen_fd) {
  int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
      return absl::UnavailableError("no connection waiting");
    }
    return absl::ErrnoToStatus(errno, "accept");
  }
  int on = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  return fd;
}

absl::StatusOr<int> StartConnect(const std::string& ip, uint16_t port) {
  sockaddr_storage address;
  socklen_t size;
  if (!MakeAddress(ip, port, &address, &size)) {
    return absl::InvalidArgumentError(
        absl::StrCat(ip, " is not an IP address"));
  }
  int fd = ::socket(address.ss_family,
                    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::ErrnoToStatus(errno, "socket");
  int on = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), size) != 0 &&
      errno != EINPROGRESS) {
    int error = errno;
    ::close(fd);
    return absl::ErrnoToStatus(
        error, absl::StrCat("cannot connect to ", Describe(address)));
  }
  return fd;
}

absl::Status ConnectResult(int fd) {
  int error = 0;
  socklen_t size = sizeof error;
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0) {
    return absl::ErrnoToStatus(errno, "getsockopt");
  }
  if (error != 0) return absl::ErrnoToStatus(error, "connect");
  return absl::OkStatus();
}

std::string PeerAddress(int fd) {
  sockaddr_storage address{};
  socklen_t size = sizeof address;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
    return "";
  }
  return Describe(address);
}

}  // namespace xmppfed::edge::net
