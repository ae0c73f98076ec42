// One listening TCP socket on the edge's loop: every connection it accepts
// goes to `on_accept`, which owns the fd from then on (and decides, e.g.,
// whether a limit lets it in).
//
// Running out of descriptors (issue 11) never makes the loop spin and never
// starves the rest of the agent:
// * a connection accepted on a descriptor within the edge's reserve
//   (net/descriptors.h) is sent `refusal` (a stream error, when the listener
//   speaks plain XML) and closed at once;
// * then, as when accept itself fails for lack of descriptors (EMFILE,
//   ENFILE, ENOBUFS, ENOMEM), the listener is left alone for a back-off
//   (10 ms doubling to 1 s) instead of being polled while it stays
//   readable; waiting peers stay in the kernel's backlog meanwhile.
// * "edge.refusing" is logged (warning) once when that starts, naming the
//   listener and the descriptor limit; "edge.accepting" once it has ended
//   (a connection kept after a quiet second), with the count refused.
#ifndef XMPPFED_AGENT_EDGE_CORE_ACCEPTOR_H_
#define XMPPFED_AGENT_EDGE_CORE_ACCEPTOR_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agent/edge/net/event_loop.h"

namespace xmppfed::edge {

class Acceptor {
 public:
  struct Options {
    // Written (best effort, non-blocking) to a connection refused for lack
    // of descriptors before it is closed; "" closes it without a word.
    std::string refusal;
  };

  // Listens on host:port (port 0 picks a free one) and watches the socket.
  static absl::StatusOr<std::unique_ptr<Acceptor>> Listen(
      net::EventLoop* loop, const std::string& host, uint16_t port,
      std::function<void(int fd)> on_accept, Options options);
  // Stops watching and closes the socket (loop thread, or before it runs).
  ~Acceptor();
  Acceptor(const Acceptor&) = delete;
  Acceptor& operator=(const Acceptor&) = delete;

  // The address actually bound, "127.0.0.1:5269" or "[::1]:5269".
  const std::string& address() const { return address_; }

 private:
  Acceptor(net::EventLoop* loop, int fd, std::string address,
           std::function<void(int fd)> on_accept, Options options);
  void AcceptAll();
  // Out of descriptors: refuse `fd` (-1: accept failed) and pause.
  void Refuse(int fd);
  void Resume();

  net::EventLoop* loop_;
  int fd_;
  std::string address_;
  std::function<void(int fd)> on_accept_;
  Options options_;
  bool paused_ = false;
  net::EventLoop::TimerId resume_timer_ = 0;
  absl::Duration backoff_ = absl::ZeroDuration();
  bool refusing_ = false;
  uint64_t refused_ = 0;
  net::Clock::TimePoint last_refusal_{};
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_CORE_ACCEPTOR_H_
