#include "agent/edge/core/acceptor.h"

#include <unistd.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "agent/edge/net/tcp.h"

namespace xmppfed::edge {
namespace {

// Connections the kernel queues before the loop accepts them.
constexpr int kBacklog = 128;
// Connections accepted per wake-up; the rest wait for the next turn of the
// loop (the socket stays readable). Between turns the streams accepted
// already are read, so a partner's header is seen before a burst of
// connections from its address can push it out of the pre-authentication
// budget (PreAuthBudget evicts streams that sent nothing first).
constexpr int kAcceptsPerWake = 8;

}  // namespace

absl::StatusOr<std::unique_ptr<Acceptor>> Acceptor::Listen(
    net::EventLoop* loop, const std::string& host, uint16_t port,
    std::function<void(int fd)> on_accept) {
  absl::StatusOr<int> fd = net::ListenTcp(host, port, kBacklog);
  if (!fd.ok()) return fd.status();
  absl::StatusOr<uint16_t> bound = net::LocalPort(*fd);
  if (!bound.ok()) {
    ::close(*fd);
    return bound.status();
  }
  bool v6 = host.find(':') != std::string::npos;
  std::string address = v6 ? absl::StrCat("[", host, "]:", *bound)
                           : absl::StrCat(host, ":", *bound);
  std::unique_ptr<Acceptor> acceptor(
      new Acceptor(loop, *fd, std::move(address), std::move(on_accept)));
  absl::Status watched =
      loop->Watch(*fd, net::EventLoop::kReadable,
                  [raw = acceptor.get()](uint32_t) { raw->AcceptAll(); });
  if (!watched.ok()) return watched;
  return acceptor;
}

Acceptor::Acceptor(net::EventLoop* loop, int fd, std::string address,
                   std::function<void(int fd)> on_accept)
    : loop_(loop),
      fd_(fd),
      address_(std::move(address)),
      on_accept_(std::move(on_accept)) {}

Acceptor::~Acceptor() {
  loop_->Unwatch(fd_);
  ::close(fd_);
}

void Acceptor::AcceptAll() {
  for (int i = 0; i < kAcceptsPerWake; ++i) {
    absl::StatusOr<int> fd = net::AcceptConnection(fd_);
    if (!fd.ok()) return;
    on_accept_(*fd);
  }
}

}  // namespace xmppfed::edge
