#include "agent/edge/net/tcp.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "agent/edge/net/descriptors.h"

namespace xmppfed::edge::net {
namespace {

struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t size = 0;

  sockaddr* get() { return reinterpret_cast<sockaddr*>(&storage); }
};

// Parses an IP literal, IPv6 optionally in brackets; false when `ip` is not
// one.
bool ParseAddress(std::string ip, uint16_t port, SocketAddress* address) {
  if (ip.size() >= 2 && ip.front() == '[' && ip.back() == ']') {
    ip = ip.substr(1, ip.size() - 2);
  }
  address->storage = {};
  auto* v4 = reinterpret_cast<sockaddr_in*>(&address->storage);
  if (::inet_pton(AF_INET, ip.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    address->size = sizeof(sockaddr_in);
    return true;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&address->storage);
  if (::inet_pton(AF_INET6, ip.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    address->size = sizeof(sockaddr_in6);
    return true;
  }
  return false;
}

std::string Describe(const sockaddr_storage& address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&address);
    ::inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
    return absl::StrCat(text, ":", ntohs(v4->sin_port));
  }
  if (address.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&address);
    uint16_t port = ntohs(v6->sin6_port);
    if (IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr)) {
      // An IPv4 client of a dual-stack listener: show it as IPv4.
      ::inet_ntop(AF_INET, &v6->sin6_addr.s6_addr[12], text, sizeof text);
      return absl::StrCat(text, ":", port);
    }
    ::inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
    return absl::StrCat("[", text, "]:", port);
  }
  return "";
}

absl::Status SetOption(int fd, int level, int name, int value,
                       const char* what) {
  if (::setsockopt(fd, level, name, &value, sizeof value) != 0) {
    return absl::ErrnoToStatus(errno, what);
  }
  return absl::OkStatus();
}

// Nagle only delays the small writes XMPP consists of.
void DisableNagle(int fd) {
  SetOption(fd, IPPROTO_TCP, TCP_NODELAY, 1, "TCP_NODELAY").IgnoreError();
}

}  // namespace

absl::StatusOr<int> ListenTcp(const std::string& host, uint16_t port,
                              int backlog) {
  SocketAddress address;
  if (!ParseAddress(host.empty() ? "::" : host, port, &address)) {
    return absl::InvalidArgumentError(
        absl::StrCat("listen address \"", host, "\" is not an IP address"));
  }
  int fd = ::socket(address.storage.ss_family,
                    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::ErrnoToStatus(errno, "socket");
  absl::Status configured =
      SetOption(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
  if (configured.ok() && address.storage.ss_family == AF_INET6) {
    // Dual stack for "::" regardless of net.ipv6.bindv6only.
    configured = SetOption(fd, IPPROTO_IPV6, IPV6_V6ONLY, 0, "IPV6_V6ONLY");
  }
  if (!configured.ok()) {
    ::close(fd);
    return configured;
  }
  if (::bind(fd, address.get(), address.size) != 0 ||
      ::listen(fd, backlog) != 0) {
    int error = errno;
    ::close(fd);
    return absl::ErrnoToStatus(
        error, absl::StrCat("cannot listen on ", Describe(address.storage)));
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
    return ntohs(reinterpret_cast<const sockaddr_in*>(&address)->sin_port);
  }
  if (address.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&address)->sin6_port);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("fd ", fd, " is not an IP socket"));
}

absl::StatusOr<int> AcceptConnection(int listen_fd) {
  int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) {
    int error = errno;
    if (error == EAGAIN || error == EWOULDBLOCK || error == EINTR ||
        error == ECONNABORTED) {
      return absl::UnavailableError("no connection waiting");
    }
    return absl::ErrnoToStatus(error, "accept");
  }
  DisableNagle(fd);
  return fd;
}

absl::StatusOr<int> StartConnect(const std::string& ip, uint16_t port) {
  SocketAddress address;
  if (!ParseAddress(ip, port, &address)) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", ip, "\" is not an IP address"));
  }
  int fd = ::socket(address.storage.ss_family,
                    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::ErrnoToStatus(errno, "socket");
  if (AboveDescriptorCeiling(fd)) {
    ::close(fd);
    return absl::ResourceExhaustedError(
        "out of file descriptors (the edge leaves the last ones to the "
        "management API and the store)");
  }
  DisableNagle(fd);
  if (::connect(fd, address.get(), address.size) != 0 && errno != EINPROGRESS) {
    int error = errno;
    ::close(fd);
    return absl::ErrnoToStatus(
        error, absl::StrCat("connect to ", Describe(address.storage)));
  }
  return fd;
}

absl::Status ConnectResult(int fd) {
  int error = 0;
  socklen_t size = sizeof error;
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size) != 0) {
    return absl::ErrnoToStatus(errno, "getsockopt(SO_ERROR)");
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
