// The edge's event loop: one epoll set, one-shot timers, and tasks posted
// from other threads (woken through an eventfd). Level-triggered: a handler
// that leaves data unread is called again. Every method but Post and Stop
// must be called on the loop's thread (or before Run starts).
#ifndef XMPPFED_AGENT_EDGE_NET_EVENT_LOOP_H_
#define XMPPFED_AGENT_EDGE_NET_EVENT_LOOP_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace xmppfed::edge::net {

class EventLoop {
 public:
  enum Interest : uint32_t { kReadable = 1, kWritable = 2 };
  // `ready` is kReadable and/or kWritable; an error or hang-up is reported
  // as both, so the handler's next read or write meets it.
  using IoHandler = std::function<void(uint32_t ready)>;
  using TimerId = uint64_t;

  static absl::StatusOr<std::unique_ptr<EventLoop>> Create();
  ~EventLoop();

  absl::Status Watch(int fd, uint32_t interest, IoHandler handler);
  absl::Status Modify(int fd, uint32_t interest);
  // Safe inside any handler, also for the fd being handled: no further
  // events of that fd are dispatched, even later in the same batch.
  void Unwatch(int fd);

  TimerId AddTimer(absl::Duration after, std::function<void()> callback);
  // No-op when the timer already ran or was cancelled.
  void CancelTimer(TimerId id);

  // Thread-safe; tasks run in order on the loop's thread.
  void Post(std::function<void()> task);
  // Runs until Stop(), on the calling thread.
  void Run();
  // Thread-safe.
  void Stop();
  bool InLoopThread() const {
    return std::this_thread::get_id() == loop_thread_;
  }

 private:
  EventLoop(int epoll_fd, int wake_fd);
  void RunPosted();
  void RunDueTimers();
  int NextTimeoutMs() const;

  int epoll_fd_;
  int wake_fd_;
  std::atomic<bool> stop_{false};
  std::thread::id loop_thread_;
  // Shared so a handler being run stays alive while it unwatches itself.
  std::map<int, std::shared_ptr<IoHandler>> handlers_;
  std::map<std::pair<absl::Time, TimerId>, std::function<void()>> timers_;
  std::map<TimerId, absl::Time> timer_deadlines_;
  TimerId last_timer_ = 0;
  std::mutex posted_mutex_;
  std::vector<std::function<void()>> posted_;
};

}  // namespace xmppfed::edge::net

#endif  // XMPPFED_AGENT_EDGE_NET_EVENT_LOOP_H_
