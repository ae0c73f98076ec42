#include "agent/edge/dns/ares_loop.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace xmppfed::edge::dns {
namespace {

// ares_library_init is reference counted and, in 1.18, does real work only
// on Windows; call it once per process all the same, as the manual asks.
absl::Status InitCaresLibraryOnce() {
  static const int result = ares_library_init(ARES_LIB_INIT_ALL);
  if (result != ARES_SUCCESS) {
    return absl::InternalError(
        absl::StrCat("c-ares: library init: ", ares_strerror(result)));
  }
  return absl::OkStatus();
}

// When the eventfd could not be made, the worker polls at this interval
// instead of waiting to be woken.
constexpr int kFallbackPollMs = 20;

}  // namespace

AresLoop::AresLoop(const AresLoopSettings& settings,
                   std::function<void()> on_shutdown)
    : on_shutdown_(std::move(on_shutdown)) {
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  status_ = InitCaresLibraryOnce();
  if (status_.ok() && wake_fd_ < 0) {
    status_ = absl::InternalError(
        absl::StrCat("DNS resolver: eventfd: ", std::strerror(errno)));
  }
  if (status_.ok()) {
    ares_options options{};
    // XMPP domains are absolute names: never try them under the search
    // domains of /etc/resolv.conf ("partner.example.corp.internal").
    options.flags = ARES_FLAG_NOSEARCH;
    options.domains = nullptr;
    options.ndomains = 0;
    options.timeout = static_cast<int>(
        std::max<int64_t>(1, settings.first_try_timeout.count()));
    options.tries = std::max(1, settings.tries);
    options.sock_state_cb = &AresLoop::OnSocketState;
    options.sock_state_cb_data = this;
    const int mask = ARES_OPT_FLAGS | ARES_OPT_DOMAINS | ARES_OPT_TIMEOUTMS |
                     ARES_OPT_TRIES | ARES_OPT_SOCK_STATE_CB;
    if (int rc = ares_init_options(&channel_, &options, mask);
        rc != ARES_SUCCESS) {
      channel_ = nullptr;
      status_ = absl::InternalError(
          absl::StrCat("DNS resolver: c-ares init: ", ares_strerror(rc)));
    }
  }
  if (channel_ != nullptr && !settings.servers.empty()) {
    const std::string csv = absl::StrJoin(settings.servers, ",");
    if (int rc = ares_set_servers_ports_csv(channel_, csv.c_str());
        rc != ARES_SUCCESS) {
      ares_destroy(channel_);
      channel_ = nullptr;
      status_ = absl::InvalidArgumentError(absl::StrCat(
          "DNS servers \"", csv,
          "\" (expected ip:port, [ipv6]:port): ", ares_strerror(rc)));
    }
  }
  worker_ = std::thread([this] { Run(); });
}

void AresLoop::Stop() {
  if (!worker_.joinable()) return;
  stop_requested_.store(true);
  if (wake_fd_ >= 0) {
    const uint64_t one = 1;
    [[maybe_unused]] ssize_t written = ::write(wake_fd_, &one, sizeof one);
  }
  worker_.join();
}

AresLoop::~AresLoop() {
  Stop();
  if (wake_fd_ >= 0) ::close(wake_fd_);
}

void AresLoop::Post(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(posted_mutex_);
    posted_.push_back(std::move(task));
  }
  if (wake_fd_ >= 0) {
    const uint64_t one = 1;
    // EAGAIN means the counter is already non-zero: the worker will wake.
    [[maybe_unused]] ssize_t written = ::write(wake_fd_, &one, sizeof one);
  }
}

uint64_t AresLoop::AddTimer(Clock::time_point when,
                            std::function<void()> fire) {
  const uint64_t id = next_timer_id_++;
  timer_queue_.insert({when, id});
  timers_.emplace(id, std::make_pair(when, std::move(fire)));
  return id;
}

void AresLoop::CancelTimer(uint64_t timer_id) {
  auto it = timers_.find(timer_id);
  if (it == timers_.end()) return;
  timer_queue_.erase({it->second.first, timer_id});
  timers_.erase(it);
}

void AresLoop::OnSocketState(void* data, ares_socket_t fd, int readable,
                             int writable) {
  auto* loop = static_cast<AresLoop*>(data);
  if (readable == 0 && writable == 0) {
    loop->sockets_.erase(fd);
  } else {
    loop->sockets_[fd] = {readable != 0, writable != 0};
  }
}

void AresLoop::RunPostedTasks() {
  std::deque<std::function<void()>> tasks;
  {
    std::lock_guard<std::mutex> lock(posted_mutex_);
    tasks.swap(posted_);
  }
  for (std::function<void()>& task : tasks) task();
}

void AresLoop::RunDueTimers() {
  const Clock::time_point now = Clock::now();
  while (!timer_queue_.empty() && timer_queue_.begin()->first <= now) {
    const uint64_t id = timer_queue_.begin()->second;
    timer_queue_.erase(timer_queue_.begin());
    auto it = timers_.find(id);
    std::function<void()> fire = std::move(it->second.second);
    timers_.erase(it);
    fire();  // May add or cancel timers: the queue is re-read each round.
  }
}

int AresLoop::PollTimeoutMs() {
  int64_t timeout_ms = wake_fd_ >= 0 ? -1 : kFallbackPollMs;
  auto take_sooner = [&](int64_t ms) {
    ms = std::max<int64_t>(ms, 0);
    timeout_ms = timeout_ms < 0 ? ms : std::min(timeout_ms, ms);
  };
  if (channel_ != nullptr) {
    timeval until_ares{};
    if (ares_timeout(channel_, nullptr, &until_ares) != nullptr) {
      // Round up: waking a moment early would spin until the deadline.
      take_sooner(int64_t{until_ares.tv_sec} * 1000 +
                  (until_ares.tv_usec + 999) / 1000);
    }
  }
  if (!timer_queue_.empty()) {
    take_sooner(std::chrono::ceil<std::chrono::milliseconds>(
                    timer_queue_.begin()->first - Clock::now())
                    .count());
  }
  return static_cast<int>(std::min<int64_t>(timeout_ms, 60'000));
}

void AresLoop::Run() {
  std::vector<pollfd> fds;
  while (!stop_requested_.load()) {
    RunPostedTasks();
    RunDueTimers();
    fds.clear();
    fds.push_back({wake_fd_, POLLIN, 0});  // fd -1 is ignored by poll.
    for (const auto& [fd, wanted] : sockets_) {
      const short events = static_cast<short>((wanted.first ? POLLIN : 0) |
                                              (wanted.second ? POLLOUT : 0));
      fds.push_back({fd, events, 0});
    }
    if (::poll(fds.data(), fds.size(), PollTimeoutMs()) < 0) {
      if (errno == EINTR) continue;
      // Nothing sensible is left to wait on; pace the loop and carry on so
      // c-ares' timeouts still fire.
      ::usleep(kFallbackPollMs * 1000);
      continue;
    }
    if (fds[0].revents != 0) {
      uint64_t count;
      [[maybe_unused]] ssize_t drained = ::read(wake_fd_, &count, sizeof count);
    }
    if (channel_ == nullptr) continue;
    for (std::size_t i = 1; i < fds.size(); ++i) {
      const short revents = fds[i].revents;
      if (revents == 0) continue;
      // Errors and hang-ups are passed as both readable and writable so
      // c-ares notices them on its next read or write and fails the server.
      const short failure = POLLERR | POLLHUP | POLLNVAL;
      const ares_socket_t read_fd =
          (revents & (POLLIN | failure)) ? fds[i].fd : ARES_SOCKET_BAD;
      const ares_socket_t write_fd =
          (revents & (POLLOUT | failure)) ? fds[i].fd : ARES_SOCKET_BAD;
      ares_process_fd(channel_, read_fd, write_fd);
    }
    // Expires the queries whose time is up (and retries them elsewhere).
    ares_process_fd(channel_, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
  }
  Shutdown();
}

void AresLoop::Shutdown() {
  stopping_ = true;
  RunPostedTasks();
  if (channel_ != nullptr) ares_cancel(channel_);
  if (on_shutdown_) on_shutdown_();
  timer_queue_.clear();
  timers_.clear();
  if (channel_ != nullptr) {
    ares_destroy(channel_);
    channel_ = nullptr;
  }
}

}  // namespace xmppfed::edge::dns
