#include "tests/bench/hostile_attacks.h"

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <utility>

#include "tests/support/hostile_peers.h"
#include "tests/support/raw_stream.h"

namespace xmppfed::bench {
namespace {

// From 127.0.0.2: the attacker is not at the partner's address (the budget
// per source address is for that case).
int Connect(uint16_t port) {
  return testing::ConnectLoopback(port, "127.0.0.2");
}

bool StillOpen(int fd) { return testing::PeerStillOpen(fd); }

std::string ForgedKey(const std::string& from, const std::string& to) {
  return "<db:result from='" + from + "' to='" + to +
         "'>0000000000000000000000000000000000000000000000000000000000000000"
         "</db:result>";
}

}  // namespace

HostileAttack::HostileAttack(Kind kind, uint16_t s2s_port,
                             uint16_t component_port, std::string from,
                             std::string to)
    : kind_(kind),
      s2s_port_(s2s_port),
      component_port_(component_port),
      from_(std::move(from)),
      to_(std::move(to)) {
  const std::string header = testing::ServerStreamHeader(from_, to_);
  switch (kind_) {
    case Kind::kIdle:
      threads_.emplace_back([this] { Hold(s2s_port_, 400, "", false); });
      break;
    case Kind::kTrickle:
      threads_.emplace_back(
          [this, header] { Hold(s2s_port_, 400, header, true); });
      break;
    case Kind::kClaim:
      threads_.emplace_back(
          [this, header] { Hold(s2s_port_, 50, header, false); });
      break;
    case Kind::kFlat: {
      std::string stanza = header + "<message>";
      for (int i = 0; i < 10001; ++i) stanza += "<a/>";
      stanza += "</message>";
      for (int i = 0; i < 8; ++i) {
        threads_.emplace_back([this, stanza] { Repeat(stanza); });
      }
      break;
    }
    case Kind::kPartial: {
      std::string partial = header + "<message to='user@" + to_ + "'>";
      for (int i = 0; i < 9000; ++i) partial += "<a/>";
      threads_.emplace_back(
          [this, partial] { Hold(s2s_port_, 100, partial, false); });
      break;
    }
    case Kind::kDialbackFlood: {
      std::string burst = header;
      for (int i = 0; i < 3000; ++i) burst += ForgedKey(from_, to_);
      threads_.emplace_back([this, burst] { Repeat(burst); });
      threads_.emplace_back([this, header] {
        Hold(s2s_port_, 50, header + ForgedKey(from_, to_), false);
      });
      break;
    }
    case Kind::kComponent:
      threads_.emplace_back([this] { Hold(component_port_, 1000, "", false); });
      break;
  }
}

HostileAttack::~HostileAttack() {
  stop_ = true;
  for (std::thread& thread : threads_) thread.join();
}

void HostileAttack::Send(int fd, const std::string& bytes) {
  ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  if (n > 0) bytes_ += n;
}

void HostileAttack::Hold(uint16_t port, size_t count,
                         const std::string& opening, bool trickle) {
  std::vector<int> fds;
  std::vector<size_t> sent;
  while (!stop_) {
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i] >= 0 && StillOpen(fds[i])) continue;
      if (fds[i] >= 0) ::close(fds[i]);
      fds[i] = Connect(port);
      sent[i] = 0;
    }
    while (fds.size() < count) {
      fds.push_back(Connect(port));
      sent.push_back(0);
    }
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i] < 0 || sent[i] >= opening.size()) continue;
      size_t size = trickle ? 1 : opening.size();
      Send(fds[i], opening.substr(sent[i], size));
      sent[i] += size;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (int fd : fds) {
    if (fd >= 0) ::close(fd);
  }
}

void HostileAttack::Repeat(const std::string& bytes) {
  while (!stop_) {
    int fd = Connect(s2s_port_);
    if (fd < 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      continue;
    }
    Send(fd, bytes);
    while (!stop_ && StillOpen(fd)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ::close(fd);
  }
}

}  // namespace xmppfed::bench
