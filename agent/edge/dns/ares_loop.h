// The worker thread that owns a c-ares channel (internal to the dns layer).
//
// c-ares 1.18 channels are not thread-safe, so exactly one thread touches the
// channel: this loop's. Other threads hand it work with Post(); everything
// else (channel(), timers, the callbacks c-ares makes) runs on the worker.
// The loop waits with poll(2) on the sockets c-ares reports through its
// socket-state callback (not ares_fds/select, whose fd_set cannot hold the
// descriptor numbers of a busy edge), an eventfd for Post(), and the earlier
// of c-ares' own next timeout and the loop's next timer.
#ifndef XMPPFED_AGENT_EDGE_DNS_ARES_LOOP_H_
#define XMPPFED_AGENT_EDGE_DNS_ARES_LOOP_H_

#include <ares.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/status/status.h"

namespace xmppfed::edge::dns {

struct AresLoopSettings {
  // "ip:port" (IPv6 as "[ip]:port"); empty uses /etc/resolv.conf.
  std::vector<std::string> servers;
  // c-ares' timeout for the first try of a query, and how many tries it
  // makes (it doubles the timeout after each round over the servers).
  std::chrono::milliseconds first_try_timeout{1000};
  int tries = 2;
};

class AresLoop {
 public:
  using Clock = std::chrono::steady_clock;

  // Creates the channel and starts the worker. When the channel cannot be
  // created, status() says why and channel() is null; the worker runs all
  // the same, so work posted to it is still answered (with that status).
  // `on_shutdown` runs on the worker once it is stopping, after c-ares has
  // been told to cancel every query (so their callbacks have run) and before
  // the channel is destroyed: the owner's last chance to answer whatever is
  // still outstanding.
  AresLoop(const AresLoopSettings& settings, std::function<void()> on_shutdown);
  // Stops the worker: posted tasks not yet run still run (with stopping()
  // true), outstanding queries are cancelled, then the thread is joined.
  // Idempotent. The owner calls it while the loop is still reachable from
  // the callbacks that run during the stop.
  void Stop();
  // Stop()s if nobody did.
  ~AresLoop();

  AresLoop(const AresLoop&) = delete;
  AresLoop& operator=(const AresLoop&) = delete;

  // Any thread. Runs `task` on the worker, in posting order.
  void Post(std::function<void()> task);

  // Worker only, from here on.
  const absl::Status& status() const { return status_; }
  ares_channel channel() const { return channel_; }
  // True once the loop is shutting down: tasks must start no new queries.
  bool stopping() const { return stopping_; }
  // Runs `fire` on the worker at `when` unless cancelled first. Timers that
  // have not fired when the loop stops are dropped.
  uint64_t AddTimer(Clock::time_point when, std::function<void()> fire);
  void CancelTimer(uint64_t timer_id);

 private:
  static void OnSocketState(void* data, ares_socket_t fd, int readable,
                            int writable);
  void Run();
  void RunPostedTasks();
  void RunDueTimers();
  // How long poll() may wait: until c-ares' next timeout or the next timer,
  // whichever is sooner, in milliseconds (-1: no limit).
  int PollTimeoutMs();
  void Shutdown();

  absl::Status status_;
  ares_channel channel_ = nullptr;
  const std::function<void()> on_shutdown_;
  int wake_fd_ = -1;

  std::mutex posted_mutex_;
  std::deque<std::function<void()>> posted_;  // Guarded by posted_mutex_.
  std::atomic<bool> stop_requested_{false};

  // Worker state.
  bool stopping_ = false;
  // The sockets c-ares wants watched: fd -> (readable, writable).
  std::map<ares_socket_t, std::pair<bool, bool>> sockets_;
  uint64_t next_timer_id_ = 1;
  std::set<std::pair<Clock::time_point, uint64_t>> timer_queue_;
  std::unordered_map<uint64_t,
                     std::pair<Clock::time_point, std::function<void()>>>
      timers_;

  std::thread worker_;  // Last: starts after everything above exists.
};

}  // namespace xmppfed::edge::dns

#endif  // XMPPFED_AGENT_EDGE_DNS_ARES_LOOP_H_
