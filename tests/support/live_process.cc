#include "tests/support/live_process.h"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>

namespace xmppfed::testing {

LiveProcess::LiveProcess(const std::string& program,
                         const std::vector<std::string>& args,
                         const RunOptions& options) {
  pid_ = StartPiped(program, args, options, &pipes_, &error_);
  if (pid_ > 0) collector_ = std::thread([this] { Collect(); });
}

LiveProcess::~LiveProcess() {
  if (pid_ > 0 && !PollExit(pid_)) {
    ::kill(pid_, SIGKILL);
    WaitForExit(pid_, std::chrono::seconds(10));
  }
  CloseStdin();
  if (collector_.joinable()) collector_.join();
}

void LiveProcess::Collect() {
  int out = pipes_.out;
  int err = pipes_.err;
  while (out >= 0 || err >= 0) {
    pollfd fds[2];
    int count = 0;
    for (int fd : {out, err}) {
      if (fd >= 0) fds[count++] = {fd, POLLIN, 0};
    }
    if (::poll(fds, count, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < count; ++i) {
      if (fds[i].revents == 0) continue;
      char buffer[65536];
      ssize_t n = ::read(fds[i].fd, buffer, sizeof(buffer));
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      int& fd = fds[i].fd == out ? out : err;
      if (n <= 0) {
        ::close(fd);
        fd = -1;
        continue;
      }
      std::lock_guard<std::mutex> lock(mutex_);
      (fds[i].fd == pipes_.out ? out_ : err_)
          .append(buffer, static_cast<size_t>(n));
      changed_.notify_all();
    }
  }
  std::lock_guard<std::mutex> lock(mutex_);
  output_ended_ = true;
  changed_.notify_all();
}

bool LiveProcess::Write(const std::string& text) {
  std::string_view rest = text;
  while (!rest.empty() && pipes_.in >= 0) {
    ssize_t n = ::write(pipes_.in, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    rest.remove_prefix(static_cast<size_t>(n));
  }
  return rest.empty();
}

void LiveProcess::CloseStdin() {
  if (pipes_.in >= 0) ::close(pipes_.in);
  pipes_.in = -1;
}

bool LiveProcess::WaitForOutput(const std::string& text,
                                std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    return out_.find(text) != std::string::npos || output_ended_;
  }) && out_.find(text) != std::string::npos;
}

ExitStatus LiveProcess::Finish(std::chrono::milliseconds timeout) {
  CloseStdin();
  std::optional<ExitStatus> status = WaitForExit(pid_, timeout);
  if (!status) {
    ::kill(pid_, SIGKILL);
    status = WaitForExit(pid_, std::chrono::seconds(10));
    if (status) status->timed_out = true;
  }
  if (collector_.joinable()) collector_.join();
  pid_ = -1;
  return status.value_or(ExitStatus());
}

std::string LiveProcess::out() {
  std::lock_guard<std::mutex> lock(mutex_);
  return out_;
}

std::string LiveProcess::err() {
  std::lock_guard<std::mutex> lock(mutex_);
  return err_;
}

}  // namespace xmppfed::testing
