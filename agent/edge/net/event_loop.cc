#include "agent/edge/net/event_loop.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "absl/strings/str_cat.h"

namespace xmppfed::edge::net {
namespace {

// The wake eventfd's token: generation 0 is never given to a watch.
constexpr uint32_t kWakeGeneration = 0;
constexpr int kMaxEventsPerWait = 64;

uint64_t Token(uint32_t generation, int fd) {
  return (static_cast<uint64_t>(generation) << 32) | static_cast<uint32_t>(fd);
}

uint32_t ToEpollEvents(uint32_t interest) {
  uint32_t events = 0;
  if (interest & EventLoop::kReadable) events |= EPOLLIN | EPOLLRDHUP;
  if (interest & EventLoop::kWritable) events |= EPOLLOUT;
  return events;
}

uint32_t ToReady(uint32_t epoll_events) {
  uint32_t ready = 0;
  if (epoll_events & (EPOLLIN | EPOLLRDHUP)) ready |= EventLoop::kReadable;
  if (epoll_events & EPOLLOUT) ready |= EventLoop::kWritable;
  if (epoll_events & (EPOLLERR | EPOLLHUP)) {
    ready |= EventLoop::kReadable | EventLoop::kWritable;
  }
  return ready;
}

}  // namespace

absl::StatusOr<std::unique_ptr<EventLoop>> EventLoop::Create(
    const Clock* clock) {
  int epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd < 0) return absl::ErrnoToStatus(errno, "epoll_create1");
  int wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd < 0) {
    int error = errno;
    ::close(epoll_fd);
    return absl::ErrnoToStatus(error, "eventfd");
  }
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = Token(kWakeGeneration, wake_fd);
  if (::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, wake_fd, &event) != 0) {
    int error = errno;
    ::close(wake_fd);
    ::close(epoll_fd);
    return absl::ErrnoToStatus(error, "epoll_ctl(eventfd)");
  }
  return std::unique_ptr<EventLoop>(new EventLoop(epoll_fd, wake_fd, clock));
}

EventLoop::EventLoop(int epoll_fd, int wake_fd, const Clock* clock)
    : epoll_fd_(epoll_fd),
      wake_fd_(wake_fd),
      clock_(clock),
      loop_thread_(std::this_thread::get_id()) {}

EventLoop::~EventLoop() {
  ::close(wake_fd_);
  ::close(epoll_fd_);
}

bool EventLoop::InLoopThread() const {
  return std::this_thread::get_id() == loop_thread_.load();
}

absl::Status EventLoop::Watch(int fd, uint32_t interest, IoHandler handler) {
  if (fd < 0) return absl::InvalidArgumentError("cannot watch a negative fd");
  if (watched_.contains(fd)) {
    return absl::AlreadyExistsError(absl::StrCat("fd ", fd, " is watched"));
  }
  if (++last_generation_ == kWakeGeneration) ++last_generation_;
  epoll_event event{};
  event.events = ToEpollEvents(interest);
  event.data.u64 = Token(last_generation_, fd);
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) {
    return absl::ErrnoToStatus(errno, absl::StrCat("epoll_ctl(ADD, ", fd, ")"));
  }
  watched_[fd] =
      Watched{last_generation_, std::make_shared<IoHandler>(std::move(handler)),
              interest};
  return absl::OkStatus();
}

absl::Status EventLoop::Modify(int fd, uint32_t interest) {
  auto it = watched_.find(fd);
  if (it == watched_.end()) {
    return absl::NotFoundError(absl::StrCat("fd ", fd, " is not watched"));
  }
  if (it->second.interest == interest) return absl::OkStatus();
  epoll_event event{};
  event.events = ToEpollEvents(interest);
  event.data.u64 = Token(it->second.generation, fd);
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &event) != 0) {
    return absl::ErrnoToStatus(errno, absl::StrCat("epoll_ctl(MOD, ", fd, ")"));
  }
  it->second.interest = interest;
  return absl::OkStatus();
}

void EventLoop::Unwatch(int fd) {
  if (watched_.erase(fd) == 0) return;
  // Fails harmlessly (EBADF) when the owner already closed the fd: closing
  // removed it from the epoll set then.
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
}

EventLoop::TimerId EventLoop::AddTimer(absl::Duration after,
                                       std::function<void()> callback) {
  TimerId id = ++last_timer_;
  TimePoint deadline =
      clock_->Now() +
      std::chrono::duration_cast<TimePoint::duration>(
          absl::ToChronoNanoseconds(std::max(after, absl::ZeroDuration())));
  timers_.emplace(std::pair{deadline, id}, std::move(callback));
  timer_deadlines_.emplace(id, deadline);
  return id;
}

void EventLoop::CancelTimer(TimerId id) {
  auto it = timer_deadlines_.find(id);
  if (it == timer_deadlines_.end()) return;
  timers_.erase(std::pair{it->second, id});
  timer_deadlines_.erase(it);
}

void EventLoop::Wake() {
  uint64_t one = 1;
  // Only fails when the counter would overflow, and then a wake-up is
  // pending anyway.
  [[maybe_unused]] ssize_t written = ::write(wake_fd_, &one, sizeof one);
}

void EventLoop::Post(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(posted_mutex_);
    posted_.push_back(std::move(task));
  }
  Wake();
}

void EventLoop::Defer(std::function<void()> task) {
  deferred_.push_back(std::move(task));
}

void EventLoop::RunDeferredTasks() {
  // Tasks deferred by these tasks run in the same round, after them.
  while (!deferred_.empty()) {
    std::vector<std::function<void()>> tasks;
    tasks.swap(deferred_);
    for (std::function<void()>& task : tasks) task();
  }
}

void EventLoop::Stop() {
  stop_ = true;
  Wake();
}

void EventLoop::RunPostedTasks() {
  uint64_t count;
  [[maybe_unused]] ssize_t drained = ::read(wake_fd_, &count, sizeof count);
  std::deque<std::function<void()>> tasks;
  {
    std::lock_guard<std::mutex> lock(posted_mutex_);
    tasks.swap(posted_);
  }
  for (std::function<void()>& task : tasks) task();
}

void EventLoop::RunDueTimers() {
  TimePoint now = clock_->Now();
  // Timers added by the callbacks below wait for the next round even when
  // already due, so a callback re-adding a zero-delay timer cannot keep this
  // loop from returning. Such a timer's deadline is >= now, so it sorts
  // after every older timer that is due.
  TimerId newest_due = last_timer_;
  while (!timers_.empty() && !stop_) {
    auto first = timers_.begin();
    auto [deadline, id] = first->first;
    if (deadline > now || id > newest_due) break;
    std::function<void()> callback = std::move(first->second);
    timers_.erase(first);
    timer_deadlines_.erase(id);
    callback();
  }
}

int EventLoop::NextTimeoutMs() const {
  if (!deferred_.empty()) return 0;
  if (timers_.empty()) return -1;
  TimePoint::duration left = timers_.begin()->first.first - clock_->Now();
  if (left <= TimePoint::duration::zero()) return 0;
  // A clock that is not real time moves only when told: sleeping until its
  // deadline would be sleeping for nothing.
  if (!clock_->real_time()) return -1;
  // Rounded up: waking a little early would only spin until the deadline.
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
  return static_cast<int>(std::min<int64_t>(ms, 24 * 3600 * 1000));
}

void EventLoop::DispatchIo(uint64_t token, uint32_t epoll_events) {
  int fd = static_cast<int>(token & 0xffffffffu);
  uint32_t generation = static_cast<uint32_t>(token >> 32);
  auto it = watched_.find(fd);
  // Unwatched (and maybe watched again) earlier in this batch.
  if (it == watched_.end() || it->second.generation != generation) return;
  // Held here so the handler survives unwatching its own fd.
  std::shared_ptr<IoHandler> handler = it->second.handler;
  (*handler)(ToReady(epoll_events));
}

void EventLoop::Round(int timeout_ms) {
  epoll_event events[kMaxEventsPerWait];
  int count = ::epoll_wait(epoll_fd_, events, kMaxEventsPerWait, timeout_ms);
  // EINTR: nothing to dispatch but timers. Any other error is only possible
  // with a broken epoll fd.
  for (int i = 0; i < count && !stop_; ++i) {
    uint64_t token = events[i].data.u64;
    if (token == Token(kWakeGeneration, wake_fd_)) {
      RunPostedTasks();
    } else {
      DispatchIo(token, events[i].events);
    }
  }
  RunDueTimers();
  RunDeferredTasks();
}

void EventLoop::Run() {
  loop_thread_ = std::this_thread::get_id();
  // Each Stop() ends one Run(): the flag is consumed here.
  while (!stop_.exchange(false)) Round(NextTimeoutMs());
  RunPostedTasks();
  RunDeferredTasks();
}

void EventLoop::RunOnce(absl::Duration max_wait) {
  loop_thread_ = std::this_thread::get_id();
  int64_t wait_ms = absl::ToInt64Milliseconds(absl::Ceil(
      std::max(max_wait, absl::ZeroDuration()), absl::Milliseconds(1)));
  int next = NextTimeoutMs();
  if (next >= 0) wait_ms = std::min<int64_t>(wait_ms, next);
  Round(static_cast<int>(std::min<int64_t>(wait_ms, 24 * 3600 * 1000)));
}

}  // namespace xmppfed::edge::net
