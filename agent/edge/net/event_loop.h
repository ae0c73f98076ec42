// The edge's event loop: one epoll set (level-triggered), one-shot timers and
// tasks posted from other threads (woken through an eventfd).
//
// Time: timers follow a Clock (agent/edge/net/clock.h), the steady clock
// unless the loop was created with another; a loop on a ManualClock is
// driven by RunOnce, its timers firing as the clock is advanced.
//
// Threading: Post, Stop and InLoopThread may be called from any thread.
// Everything else must be called on the loop's thread: the thread running
// Run(), or any thread before Run() starts.
//
// Re-entrancy: handlers, timer callbacks and posted tasks may call any method
// (watch, modify, unwatch, add or cancel timers, post, stop). A handler stays
// alive until it returns even when it unwatches its own fd, and an fd
// unwatched during a batch of events gets none of that batch's remaining
// events, even if the same fd number is watched again meanwhile.
#ifndef XMPPFED_AGENT_EDGE_NET_EVENT_LOOP_H_
#define XMPPFED_AGENT_EDGE_NET_EVENT_LOOP_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agent/edge/net/clock.h"

namespace xmppfed::edge::net {

class EventLoop {
 public:
  enum Interest : uint32_t { kReadable = 1, kWritable = 2 };
  // `ready` is kReadable and/or kWritable. An error or hang-up on the fd is
  // reported as both, so the handler's next read or write meets it.
  using IoHandler = std::function<void(uint32_t ready)>;
  using TimerId = uint64_t;

  // `clock` must outlive the loop.
  static absl::StatusOr<std::unique_ptr<EventLoop>> Create(
      const Clock* clock = Clock::Steady());
  // Closes the loop's own fds; watched fds belong to their owners and are
  // left open. Posted tasks that never ran are destroyed unrun.
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // Starts dispatching `interest` events of `fd` (a non-blocking fd the
  // caller owns) to `handler`. Fails when `fd` is already watched.
  absl::Status Watch(int fd, uint32_t interest, IoHandler handler);
  // Replaces the interest of a watched fd (0 = none for now).
  absl::Status Modify(int fd, uint32_t interest);
  // No-op for an fd that is not watched. Call it before closing the fd.
  void Unwatch(int fd);

  // Runs `callback` once on the loop thread, `after` from now (the loop's
  // clock). Timers due at the same time run in the order they were added.
  TimerId AddTimer(absl::Duration after, std::function<void()> callback);
  // No-op when the timer already ran or was cancelled.
  void CancelTimer(TimerId id);

  // Thread-safe; tasks run on the loop thread in the order they were posted.
  void Post(std::function<void()> task);

  // Loop thread only. Runs `task` on this thread once the events, timers
  // and tasks now being dispatched are done, before the loop waits again:
  // work batched over one round (e.g. one write for many stanzas), with no
  // system call to schedule it.
  void Defer(std::function<void()> task);

  // Dispatches events, timers and posted tasks on the calling thread until
  // Stop(). Before returning it runs the tasks already posted (a caller may
  // be waiting for their answer). Run() may be called again afterwards.
  void Run();
  // One round on the calling thread: waits at most `max_wait` (and never
  // past the next timer on a real-time clock) for I/O, then dispatches the
  // events, posted tasks, due timers and deferred tasks, like one turn of
  // Run(). For tests and for callers that interleave the loop with their own
  // work; does not consume a Stop().
  void RunOnce(absl::Duration max_wait);
  // The loop's clock.
  Clock::TimePoint Now() const { return clock_->Now(); }
  const Clock& clock() const { return *clock_; }
  // Thread-safe. Makes Run() return after the handler, timer or task now
  // running (if any); a Stop() before Run() makes the next Run() return at
  // once.
  void Stop();
  bool InLoopThread() const;

 private:
  using TimePoint = Clock::TimePoint;
  struct Watched {
    uint32_t generation;
    std::shared_ptr<IoHandler> handler;
    // The interest epoll has: Modify skips the system call when unchanged.
    uint32_t interest;
  };

  EventLoop(int epoll_fd, int wake_fd, const Clock* clock);
  // Waits up to `timeout_ms` (-1: no limit) and dispatches one round.
  void Round(int timeout_ms);
  void Wake();
  void DispatchIo(uint64_t token, uint32_t epoll_events);
  // Runs the tasks posted until now; tasks they post run next time.
  void RunPostedTasks();
  // Runs the timers due now; timers they add run next time at the earliest.
  void RunDueTimers();
  void RunDeferredTasks();
  // epoll_wait's timeout in ms until the next timer, -1 without timers.
  int NextTimeoutMs() const;

  const int epoll_fd_;
  const int wake_fd_;
  const Clock* const clock_;
  std::atomic<bool> stop_{false};
  std::atomic<std::thread::id> loop_thread_;

  // epoll_event.data.u64 carries (generation << 32 | fd): an event queued
  // for an earlier watch of the same fd number is recognised and dropped.
  std::unordered_map<int, Watched> watched_;
  uint32_t last_generation_ = 0;

  // An ordered map rather than a heap: cancelling removes the entry at once,
  // so timers re-armed on every stanza leave nothing behind.
  std::map<std::pair<TimePoint, TimerId>, std::function<void()>> timers_;
  std::unordered_map<TimerId, TimePoint> timer_deadlines_;
  TimerId last_timer_ = 0;

  std::vector<std::function<void()>> deferred_;
  std::mutex posted_mutex_;
  std::deque<std::function<void()>> posted_;  // guarded by posted_mutex_
};

}  // namespace xmppfed::edge::net

#endif  // XMPPFED_AGENT_EDGE_NET_EVENT_LOOP_H_
