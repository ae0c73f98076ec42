#include "agent/edge/core/acceptor.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "agent/edge/net/descriptors.h"
#include "agent/edge/net/tcp.h"
#include "agent/runtime/log.h"

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
constexpr absl::Duration kMinBackoff = absl::Milliseconds(10);
constexpr absl::Duration kMaxBackoff = absl::Seconds(1);
// Without a refusal for this long, the listener is out of trouble.
constexpr absl::Duration kQuietPeriod = absl::Seconds(1);

bool OutOfDescriptors(const absl::Status& status) {
  return absl::IsResourceExhausted(status);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Acceptor>> Acceptor::Listen(
    net::EventLoop* loop, const std::string& host, uint16_t port,
    std::function<void(int fd)> on_accept, Options options) {
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
  std::unique_ptr<Acceptor> acceptor(new Acceptor(
      loop, *fd, std::move(address), std::move(on_accept), std::move(options)));
  absl::Status watched =
      loop->Watch(*fd, net::EventLoop::kReadable,
                  [raw = acceptor.get()](uint32_t) { raw->AcceptAll(); });
  if (!watched.ok()) return watched;
  return acceptor;
}

Acceptor::Acceptor(net::EventLoop* loop, int fd, std::string address,
                   std::function<void(int fd)> on_accept, Options options)
    : loop_(loop),
      fd_(fd),
      address_(std::move(address)),
      on_accept_(std::move(on_accept)),
      options_(std::move(options)) {}

Acceptor::~Acceptor() {
  if (resume_timer_ != 0) loop_->CancelTimer(resume_timer_);
  if (!paused_) loop_->Unwatch(fd_);
  ::close(fd_);
}

void Acceptor::AcceptAll() {
  for (int i = 0; i < kAcceptsPerWake; ++i) {
    absl::StatusOr<int> fd = net::AcceptConnection(fd_);
    if (!fd.ok()) {
      if (OutOfDescriptors(fd.status())) Refuse(-1);
      return;
    }
    if (net::AboveDescriptorCeiling(*fd)) {
      Refuse(*fd);
      return;
    }
    if (refusing_ &&
        net::Elapsed(last_refusal_, loop_->Now()) >= kQuietPeriod) {
      refusing_ = false;
      backoff_ = absl::ZeroDuration();
      runtime::LogInfo("edge.accepting", absl::StrCat("listener=", address_,
                                                      " refused=", refused_));
      refused_ = 0;
    }
    on_accept_(*fd);
  }
}

void Acceptor::Refuse(int fd) {
  if (fd >= 0) {
    if (!options_.refusal.empty()) {
      ssize_t ignored =
          ::send(fd, options_.refusal.data(), options_.refusal.size(),
                 MSG_DONTWAIT | MSG_NOSIGNAL);
      (void)ignored;
    }
    ::close(fd);
  }
  ++refused_;
  last_refusal_ = loop_->Now();
  if (!refusing_) {
    refusing_ = true;
    uint64_t limit = net::DescriptorLimit();
    runtime::LogWarning(
        "edge.refusing",
        absl::StrCat("listener=", address_,
                     " reason=\"out of file descriptors\" limit=", limit,
                     " reserve=", net::DescriptorReserve(limit)));
  }
  backoff_ = std::clamp(backoff_ * 2, kMinBackoff, kMaxBackoff);
  loop_->Unwatch(fd_);
  paused_ = true;
  resume_timer_ = loop_->AddTimer(backoff_, [this] { Resume(); });
}

void Acceptor::Resume() {
  resume_timer_ = 0;
  paused_ = false;
  absl::Status watched = loop_->Watch(fd_, net::EventLoop::kReadable,
                                      [this](uint32_t) { AcceptAll(); });
  if (!watched.ok()) {
    runtime::LogWarning("edge.listener.failed",
                        absl::StrCat("listener=", address_, " reason=\"",
                                     watched.message(), "\""));
  }
}

}  // namespace xmppfed::edge
