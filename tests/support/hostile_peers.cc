#include "tests/support/hostile_peers.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace xmppfed::testing {
namespace {

void SendAll(int fd, const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent,
                       MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n <= 0) return;  // closed, or its buffer is full: an attacker moves on
    sent += static_cast<size_t>(n);
  }
}

}  // namespace

bool PeerStillOpen(int fd, std::string* received) {
  char buffer[4096];
  while (true) {
    ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n > 0) {
      if (received != nullptr) received->append(buffer, static_cast<size_t>(n));
      continue;
    }
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
}

std::unique_ptr<HostileConnections> HostileConnections::Open(uint16_t port,
                                                             Options options) {
  std::unique_ptr<HostileConnections> peers(new HostileConnections());
  peers->options_ = std::move(options);
  for (int i = 0; i < peers->options_.count; ++i) {
    int fd = ConnectLoopback(port);
    if (fd < 0) continue;
    if (!peers->options_.prefix.empty()) SendAll(fd, peers->options_.prefix);
    peers->fds_.push_back(fd);
  }
  peers->closed_.assign(peers->fds_.size(), false);
  if (peers->options_.trickle_interval.count() > 0 &&
      !peers->options_.trickle.empty()) {
    peers->trickler_ = std::thread([raw = peers.get()] { raw->Trickle(); });
  }
  return peers;
}

HostileConnections::~HostileConnections() {
  stop_ = true;
  if (trickler_.joinable()) trickler_.join();
  for (int fd : fds_) ::close(fd);
}

void HostileConnections::Trickle() {
  size_t next = 0;
  size_t offset = 0;
  while (!stop_ && !fds_.empty()) {
    std::this_thread::sleep_for(options_.trickle_interval);
    SendAll(fds_[next],
            std::string(1, options_.trickle[offset % options_.trickle.size()]));
    next = (next + 1) % fds_.size();
    if (next == 0) ++offset;
  }
}

int HostileConnections::StillOpen() {
  int open = 0;
  for (size_t i = 0; i < fds_.size(); ++i) {
    if (!closed_[i]) closed_[i] = !PeerStillOpen(fds_[i], &received_);
    if (!closed_[i]) ++open;
  }
  return open;
}

}  // namespace xmppfed::testing
