// Hostile peers for the pre-authentication limits (issue 11): many raw TCP
// connections an attacker holds on a port, each sending nothing, or a
// prefix and then a byte now and then (a slowloris). Plain blocking
// sockets on loopback; nothing here speaks XMPP correctly unless the test
// scripts it.
#ifndef XMPPFED_TESTS_SUPPORT_HOSTILE_PEERS_H_
#define XMPPFED_TESTS_SUPPORT_HOSTILE_PEERS_H_

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/loopback.h"
#include "tests/support/process_stats.h"

namespace xmppfed::testing {

// True while the peer has not closed `fd`; what it sent is appended to
// `*received` (discarded when nullptr).
bool PeerStillOpen(int fd, std::string* received = nullptr);

class HostileConnections {
 public:
  struct Options {
    int count = 100;
    // Sent on each connection right after it connects ("" for nothing).
    std::string prefix;
    // When set, one more byte of `trickle` is sent on every connection at
    // this interval, round robin, from a thread of its own, until the
    // object is destroyed (a slowloris that never completes anything).
    std::chrono::milliseconds trickle_interval{0};
    std::string trickle = " ";
  };

  // Connects `options.count` times to 127.0.0.1:`port` and returns once
  // every connect() returned (those refused are not kept).
  static std::unique_ptr<HostileConnections> Open(uint16_t port,
                                                  Options options);
  ~HostileConnections();
  HostileConnections(const HostileConnections&) = delete;
  HostileConnections& operator=(const HostileConnections&) = delete;

  // How many connect() calls succeeded.
  int connected() const { return static_cast<int>(fds_.size()); }
  // How many of them the peer has not closed (reads and discards what the
  // peer sent; a closed or reset connection counts as closed).
  int StillOpen();
  // Bytes the peer sent on all connections, read by StillOpen().
  const std::string& received() const { return received_; }

 private:
  HostileConnections() = default;
  void Trickle();

  Options options_;
  std::vector<int> fds_;
  std::vector<bool> closed_;
  std::string received_;
  std::atomic<bool> stop_{false};
  std::thread trickler_;
};

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_SUPPORT_HOSTILE_PEERS_H_
