#include "agent/rpc/api_listener.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "agent/runtime/log.h"

namespace xmppfed::rpc {
namespace {

// How long nothing must be refused before refusing counts as ended.
constexpr absl::Duration kQuietPeriod = absl::Seconds(1);

bool OutOfDescriptors(int error) {
  return error == EMFILE || error == ENFILE || error == ENOBUFS ||
         error == ENOMEM;
}

int AcceptOne(int listen_fd) {
  return ::accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

absl::StatusOr<int> BindSocket(const std::string& path, int backlog) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof(address.sun_path)) {
    return absl::InvalidArgumentError(
        absl::StrCat("socket path ", path, " is ", path.size(),
                     " bytes long; a Unix socket path has at most ",
                     sizeof(address.sun_path) - 1));
  }
  std::memcpy(address.sun_path, path.data(), path.size());
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::ErrnoToStatus(errno, "cannot create a socket");
  auto fail = [&](std::string_view what) {
    int error = errno;
    ::close(fd);
    return absl::ErrnoToStatus(error,
                               absl::StrCat(std::string(what), " ", path));
  };
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&address),
             sizeof(address)) != 0) {
    return fail(
        "cannot listen on socket (check that its directory exists and is "
        "writable)");
  }
  if (::chmod(path.c_str(), 0660) != 0) {
    return fail("cannot set the mode of socket");
  }
  if (::listen(fd, backlog) != 0) return fail("cannot listen on socket");
  return fd;
}

}  // namespace

absl::StatusOr<std::unique_ptr<ApiListener>> ApiListener::Start(
    const std::string& socket_path, Admit admit, Options options) {
  absl::StatusOr<int> listen_fd = BindSocket(socket_path, options.backlog);
  if (!listen_fd.ok()) return listen_fd.status();
  int wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd < 0) {
    int error = errno;
    ::close(*listen_fd);
    return absl::ErrnoToStatus(error, "cannot create an eventfd");
  }
  std::unique_ptr<ApiListener> listener(
      new ApiListener(*listen_fd, wake_fd, std::move(admit), options));
  listener->RefillReserve();
  listener->thread_ = std::thread([raw = listener.get()] { raw->Run(); });
  return listener;
}

ApiListener::ApiListener(int listen_fd, int wake_fd, Admit admit,
                         Options options)
    : listen_fd_(listen_fd),
      wake_fd_(wake_fd),
      admit_(std::move(admit)),
      options_(options) {}

ApiListener::~ApiListener() {
  Stop();
  for (int fd : reserve_) ::close(fd);
  ::close(wake_fd_);
  ::close(listen_fd_);
}

void ApiListener::Stop() {
  if (!thread_.joinable()) return;
  uint64_t one = 1;
  ssize_t ignored = ::write(wake_fd_, &one, sizeof(one));
  (void)ignored;
  thread_.join();
}

void ApiListener::RefillReserve() {
  while (reserve_.size() < options_.reserve) {
    int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    reserve_.push_back(fd);
  }
}

void ApiListener::StartRefusing(std::string_view reason) {
  ++refused_;
  last_refusal_ = absl::Now();
  if (refusing_) return;
  refusing_ = true;
  runtime::LogWarning(
      "api.refusing",
      absl::StrCat("reason=\"", std::string(reason),
                   "\" reserve=", reserve_.size(), "/", options_.reserve));
}

void ApiListener::MaybeStopRefusing() {
  if (!refusing_ || reserve_.size() < options_.reserve ||
      absl::Now() - last_refusal_ < kQuietPeriod) {
    return;
  }
  refusing_ = false;
  runtime::LogInfo("api.accepting", absl::StrCat("refused=", refused_));
  refused_ = 0;
}

bool ApiListener::AcceptPending() {
  while (true) {
    int fd = AcceptOne(listen_fd_);
    if (fd >= 0) {
      if (!admit_(fd, /*scarce=*/false)) ::close(fd);
      continue;
    }
    int error = errno;
    if (error == EAGAIN || error == EWOULDBLOCK) return true;
    if (!OutOfDescriptors(error)) continue;  // e.g. ECONNABORTED, EINTR
    if (reserve_.empty()) {
      StartRefusing("out of file descriptors");
      return false;
    }
    ::close(reserve_.back());
    reserve_.pop_back();
    fd = AcceptOne(listen_fd_);
    if (fd < 0) {
      // Another thread took the descriptor first: wait for one to free up.
      StartRefusing("out of file descriptors");
      RefillReserve();
      return false;
    }
    if (!admit_(fd, /*scarce=*/true)) {
      StartRefusing("out of file descriptors");
      ::close(fd);
    }
    RefillReserve();
  }
}

void ApiListener::Run() {
  absl::Duration backoff = options_.min_backoff;
  bool backing_off = false;
  while (true) {
    RefillReserve();
    MaybeStopRefusing();
    pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {listen_fd_, POLLIN, 0}};
    // While backing off the listener is not watched: it stays readable as
    // long as clients wait, and watching it would spin.
    nfds_t count = backing_off ? 1 : 2;
    // Also wake now and then while the reserve is short, to refill it.
    int timeout_ms = -1;
    if (backing_off) {
      timeout_ms = static_cast<int>(absl::ToInt64Milliseconds(backoff));
    } else if (reserve_.size() < options_.reserve || refusing_) {
      timeout_ms = 100;
    }
    int ready = ::poll(fds, count, timeout_ms);
    if (ready < 0 && errno != EINTR) {
      runtime::LogError("api.poll.failed",
                        absl::StrCat("error=\"", std::strerror(errno), "\""));
      backing_off = true;
      backoff = options_.max_backoff;
      continue;
    }
    if (ready > 0 && (fds[0].revents & POLLIN) != 0) return;
    if (backing_off || (ready > 0 && (fds[1].revents & POLLIN) != 0)) {
      if (AcceptPending()) {
        backing_off = false;
        backoff = options_.min_backoff;
      } else {
        backoff = backing_off ? std::min(backoff * 2, options_.max_backoff)
                              : options_.min_backoff;
        backing_off = true;
      }
    }
  }
}

}  // namespace xmppfed::rpc
