// One listening TCP socket on the edge's loop: every connection it accepts
// goes to `on_accept`, which owns the fd from then on (and decides, e.g.,
// whether a limit lets it in).
#ifndef XMPPFED_AGENT_EDGE_CORE_ACCEPTOR_H_
#define XMPPFED_AGENT_EDGE_CORE_ACCEPTOR_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "agent/edge/net/event_loop.h"

namespace xmppfed::edge {

class Acceptor {
 public:
  // Listens on host:port (port 0 picks a free one) and watches the socket.
  static absl::StatusOr<std::unique_ptr<Acceptor>> Listen(
      net::EventLoop* loop, const std::string& host, uint16_t port,
      std::function<void(int fd)> on_accept);
  // Stops watching and closes the socket (loop thread, or before it runs).
  ~Acceptor();
  Acceptor(const Acceptor&) = delete;
  Acceptor& operator=(const Acceptor&) = delete;

  // The address actually bound, "127.0.0.1:5269" or "[::1]:5269".
  const std::string& address() const { return address_; }

 private:
  Acceptor(net::EventLoop* loop, int fd, std::string address,
           std::function<void(int fd)> on_accept);
  void AcceptAll();

  net::EventLoop* loop_;
  int fd_;
  std::string address_;
  std::function<void(int fd)> on_accept_;
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_CORE_ACCEPTOR_H_
