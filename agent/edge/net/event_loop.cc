#include "agent/edge/net/event_loop.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace xmppfed::edge::net {
namespace {

uint32_t ToEpoll(uint32_t interest) {
  uint32_t events = 0;
  if (interest & EventLoop::kReadable) events |= EPOLLIN | EPOLLRDHUP;
  if (interest & EventLoop::kWritable) events |= EPOLLOUT;
  return events;
}

}  // namespace

absl::StatusOr<std::unique_ptr<EventLoop>> EventLoop::Create() {
  int epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd < 0) return absl::ErrnoToStatus(errno, "epoll_create1");
  int wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd < 0) {
    ::close(epoll_fd);
    return absl::ErrnoToStatus(errno, "eventfd");
  }
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.fd = wake_fd;
  if (::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, wake_fd, &event) != 0) {
    ::close(epoll_fd);
    ::close(wake_fd);
    return absl::ErrnoToStatus(errno, "epoll_ctl");
  }
  return std::unique_ptr<EventLoop>(new EventLoop(epoll_fd, wake_fd));
}

EventLoop::EventLoop(int epoll_fd, int wake_fd)
    : epoll_fd_(epoll_fd),
      wake_fd_(wake_fd),
      loop_thread_(std::this_thread::get_id()) {}

EventLoop::~EventLoop() {
  ::close(wake_fd_);
  ::close(epoll_fd_);
}

absl::Status EventLoop::Watch(int fd, uint32_t interest, IoHandler handler) {
  epoll_event event{};
  event.events = ToEpoll(interest);
  event.data.fd = fd;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) {
    return absl::ErrnoToStatus(errno, absl::StrCat("epoll_ctl ADD ", fd));
  }
  handlers_[fd] = std::make_shared<IoHandler>(std::move(handler));
  return absl::OkStatus();
}

absl::Status EventLoop::Modify(int fd, uint32_t interest) {
  epoll_event event{};
  event.events = ToEpoll(interest);
  event.data.fd = fd;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &event) != 0) {
    return absl::ErrnoToStatus(errno, absl::StrCat("epoll_ctl MOD ", fd));
  }
  return absl::OkStatus();
}

void EventLoop::Unwatch(int fd) {
  if (handlers_.erase(fd) == 0) return;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
}

EventLoop::TimerId EventLoop::AddTimer(absl::Duration after,
                                       std::function<void()> callback) {
  TimerId id = ++last_timer_;
  absl::Time deadline = absl::Now() + after;
  timers_[{deadline, id}] = std::move(callback);
  timer_deadlines_[id] = deadline;
  return id;
}

void EventLoop::CancelTimer(TimerId id) {
  auto it = timer_deadlines_.find(id);
  if (it == timer_deadlines_.end()) return;
  timers_.erase({it->second, id});
  timer_deadlines_.erase(it);
}

void EventLoop::Post(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(posted_mutex_);
    posted_.push_back(std::move(task));
  }
  uint64_t one = 1;
  ssize_t written = ::write(wake_fd_, &one, sizeof one);
  (void)written;
}

void EventLoop::Stop() {
  stop_ = true;
  uint64_t one = 1;
  ssize_t written = ::write(wake_fd_, &one, sizeof one);
  (void)written;
}

void EventLoop::RunPosted() {
  uint64_t count;
  while (::read(wake_fd_, &count, sizeof count) > 0) {
  }
  std::vector<std::function<void()>> tasks;
  {
    std::lock_guard<std::mutex> lock(posted_mutex_);
    tasks.swap(posted_);
  }
  for (auto& task : tasks) task();
}

void EventLoop::RunDueTimers() {
  absl::Time now = absl::Now();
  while (!timers_.empty() && timers_.begin()->first.first <= now) {
    auto it = timers_.begin();
    TimerId id = it->first.second;
    std::function<void()> callback = std::move(it->second);
    timers_.erase(it);
    timer_deadlines_.erase(id);
    callback();
  }
}

int EventLoop::NextTimeoutMs() const {
  if (timers_.empty()) return 1000;
  absl::Duration left = timers_.begin()->first.first - absl::Now();
  if (left <= absl::ZeroDuration()) return 0;
  int64_t ms = absl::ToInt64Milliseconds(left) + 1;
  return static_cast<int>(std::min<int64_t>(ms, 1000));
}

void EventLoop::Run() {
  loop_thread_ = std::this_thread::get_id();
  epoll_event events[64];
  while (!stop_) {
    int count = ::epoll_wait(epoll_fd_, events, 64, NextTimeoutMs());
    if (count < 0 && errno != EINTR) break;
    for (int i = 0; i < count && !stop_; ++i) {
      int fd = events[i].data.fd;
      if (fd == wake_fd_) {
        RunPosted();
        continue;
      }
      auto it = handlers_.find(fd);
      if (it == handlers_.end()) continue;  // unwatched earlier in the batch
      std::shared_ptr<IoHandler> handler = it->second;
      uint32_t ready = 0;
      if (events[i].events & (EPOLLIN | EPOLLRDHUP)) ready |= kReadable;
      if (events[i].events & EPOLLOUT) ready |= kWritable;
      if (events[i].events & (EPOLLERR | EPOLLHUP)) {
        ready |= kReadable | kWritable;
      }
      (*handler)(ready);
    }
    RunDueTimers();
  }
  // Tasks posted while stopping still run (they may wait for an answer).
  RunPosted();
}

}  // namespace xmppfed::edge::net
