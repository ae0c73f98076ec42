#include "tests/support/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <mutex>
#include <thread>

extern char** environ;

namespace xmppfed::testing {
namespace {

using Clock = std::chrono::steady_clock;

// Writing stdin to a child that has already exited must not kill the test.
// The child gets SIGPIPE back at its default (see SpawnAttributes).
void IgnoreSigpipeOnce() {
  static std::once_flag once;
  std::call_once(once, [] { ::signal(SIGPIPE, SIG_IGN); });
}

std::vector<std::string> BuildEnvironment(const RunOptions& options) {
  std::map<std::string, std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string text(*entry);
    size_t eq = text.find('=');
    if (eq == std::string::npos) continue;
    env[text.substr(0, eq)] = text.substr(eq + 1);
  }
  for (const std::string& name : options.unset_env) env.erase(name);
  for (const auto& [name, value] : options.env) env[name] = value;
  std::vector<std::string> result;
  result.reserve(env.size());
  for (const auto& [name, value] : env) result.push_back(name + "=" + value);
  return result;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (std::string& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

// Signals at their defaults and nothing blocked in the child, whatever the
// test process did.
class SpawnAttributes {
 public:
  SpawnAttributes() {
    ::posix_spawnattr_init(&attr_);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGCHLD);
    ::posix_spawnattr_setsigdefault(&attr_, &defaults);
    sigset_t none;
    sigemptyset(&none);
    ::posix_spawnattr_setsigmask(&attr_, &none);
    ::posix_spawnattr_setflags(&attr_,
                               POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  }
  ~SpawnAttributes() { ::posix_spawnattr_destroy(&attr_); }
  const posix_spawnattr_t* get() const { return &attr_; }

 private:
  posix_spawnattr_t attr_;
};

class FileActions {
 public:
  FileActions() { ::posix_spawn_file_actions_init(&actions_); }
  ~FileActions() { ::posix_spawn_file_actions_destroy(&actions_); }
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

ExitStatus FromWaitStatus(int wstatus) {
  ExitStatus status;
  if (WIFEXITED(wstatus)) {
    status.exited = true;
    status.code = WEXITSTATUS(wstatus);
  } else if (WIFSIGNALED(wstatus)) {
    status.signal = WTERMSIG(wstatus);
  }
  return status;
}

pid_t Spawn(const std::string& program, const std::vector<std::string>& args,
            posix_spawn_file_actions_t* actions, const RunOptions& options,
            std::string* error) {
  IgnoreSigpipeOnce();
  std::vector<std::string> argv_strings;
  argv_strings.push_back(program);
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<std::string> env_strings = BuildEnvironment(options);
  std::vector<char*> argv = Pointers(argv_strings);
  std::vector<char*> envp = Pointers(env_strings);
  SpawnAttributes attributes;
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, program.c_str(), actions, attributes.get(),
                         argv.data(), envp.data());
  if (rc != 0) {
    *error = "cannot start " + program + ": " + ::strerror(rc);
    return -1;
  }
  return pid;
}

void CloseIfOpen(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

}  // namespace

std::string ExitStatus::ToString() const {
  std::string text;
  if (exited) {
    text = "exit code " + std::to_string(code);
  } else if (signal != 0) {
    text = std::string("killed by signal ") + std::to_string(signal) + " (" +
           ::strsignal(signal) + ")";
  } else {
    text = "unknown status";
  }
  if (timed_out) text += " after a timeout";
  return text;
}

std::ostream& operator<<(std::ostream& os, const ExitStatus& status) {
  return os << status.ToString();
}

ProcessResult RunProcess(const std::string& program,
                         const std::vector<std::string>& args,
                         const RunOptions& options) {
  ProcessResult result;
  int out_pipe[2] = {-1, -1};
  int err_pipe[2] = {-1, -1};
  int in_pipe[2] = {-1, -1};
  if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0 ||
      (options.stdin_text && ::pipe2(in_pipe, O_CLOEXEC) != 0)) {
    result.spawn_error = std::string("pipe: ") + ::strerror(errno);
    for (int* p : {out_pipe, err_pipe, in_pipe}) {
      CloseIfOpen(p[0]);
      CloseIfOpen(p[1]);
    }
    return result;
  }
  FileActions actions;
  if (options.stdin_text) {
    ::posix_spawn_file_actions_adddup2(actions.get(), in_pipe[0], 0);
  } else {
    ::posix_spawn_file_actions_addopen(actions.get(), 0, "/dev/null", O_RDONLY,
                                       0);
  }
  ::posix_spawn_file_actions_adddup2(actions.get(), out_pipe[1], 1);
  ::posix_spawn_file_actions_adddup2(actions.get(), err_pipe[1], 2);
  pid_t pid = Spawn(program, args, actions.get(), options, &result.spawn_error);
  CloseIfOpen(out_pipe[1]);
  CloseIfOpen(err_pipe[1]);
  CloseIfOpen(in_pipe[0]);
  if (pid < 0) {
    CloseIfOpen(out_pipe[0]);
    CloseIfOpen(err_pipe[0]);
    CloseIfOpen(in_pipe[1]);
    return result;
  }

  const Clock::time_point deadline = Clock::now() + options.timeout;
  std::string_view pending_input;
  if (options.stdin_text) {
    pending_input = *options.stdin_text;
    ::fcntl(in_pipe[1], F_SETFL, O_NONBLOCK);
    if (pending_input.empty()) CloseIfOpen(in_pipe[1]);
  }
  int out_fd = out_pipe[0];
  int err_fd = err_pipe[0];
  int in_fd = in_pipe[1];
  bool killed = false;
  while (out_fd >= 0 || err_fd >= 0 || in_fd >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - Clock::now());
    if (left.count() <= 0) {
      ::kill(pid, SIGKILL);
      killed = true;
      break;
    }
    pollfd fds[3];
    int count = 0;
    for (int fd : {out_fd, err_fd}) {
      if (fd >= 0) fds[count++] = {fd, POLLIN, 0};
    }
    if (in_fd >= 0) fds[count++] = {in_fd, POLLOUT, 0};
    int ready = ::poll(fds, count, static_cast<int>(left.count()));
    if (ready < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < count; ++i) {
      if (fds[i].revents == 0) continue;
      if (fds[i].fd == in_fd) {
        ssize_t n = ::write(in_fd, pending_input.data(), pending_input.size());
        if (n > 0) pending_input.remove_prefix(static_cast<size_t>(n));
        if ((n < 0 && errno != EAGAIN && errno != EINTR) ||
            pending_input.empty() || (fds[i].revents & (POLLERR | POLLHUP))) {
          CloseIfOpen(in_fd);
        }
        continue;
      }
      char buffer[65536];
      ssize_t n = ::read(fds[i].fd, buffer, sizeof(buffer));
      if (n > 0) {
        (fds[i].fd == out_fd ? result.out : result.err)
            .append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        if (fds[i].fd == out_fd) {
          CloseIfOpen(out_fd);
        } else {
          CloseIfOpen(err_fd);
        }
      }
    }
  }
  CloseIfOpen(out_fd);
  CloseIfOpen(err_fd);
  CloseIfOpen(in_fd);
  // The pipes are closed (or we killed it); the process may still be running
  // if it closed its stdout and stderr early.
  std::optional<ExitStatus> status;
  if (!killed) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - Clock::now());
    status = WaitForExit(pid, std::max(left, std::chrono::milliseconds(0)));
    if (!status) {
      ::kill(pid, SIGKILL);
      killed = true;
    }
  }
  if (killed) {
    int wstatus = 0;
    while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
    }
    status = FromWaitStatus(wstatus);
    status->timed_out = true;
  }
  result.status = *status;
  return result;
}

pid_t StartBackground(const std::string& program,
                      const std::vector<std::string>& args,
                      const std::string& stdout_file,
                      const std::string& stderr_file, const RunOptions& options,
                      std::string* error) {
  FileActions actions;
  ::posix_spawn_file_actions_addopen(actions.get(), 0, "/dev/null", O_RDONLY,
                                     0);
  const int append = O_WRONLY | O_CREAT | O_APPEND;
  ::posix_spawn_file_actions_addopen(
      actions.get(), 1, stdout_file.empty() ? "/dev/null" : stdout_file.c_str(),
      append, 0600);
  ::posix_spawn_file_actions_addopen(
      actions.get(), 2, stderr_file.empty() ? "/dev/null" : stderr_file.c_str(),
      append, 0600);
  return Spawn(program, args, actions.get(), options, error);
}

std::optional<ExitStatus> PollExit(pid_t pid) {
  int wstatus = 0;
  pid_t rc;
  do {
    rc = ::waitpid(pid, &wstatus, WNOHANG);
  } while (rc < 0 && errno == EINTR);
  if (rc == pid) return FromWaitStatus(wstatus);
  if (rc < 0) {
    // Not our child (any more): treat as gone.
    ExitStatus unknown;
    return unknown;
  }
  return std::nullopt;
}

std::optional<ExitStatus> WaitForExit(pid_t pid,
                                      std::chrono::milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  auto pause = std::chrono::milliseconds(1);
  while (true) {
    if (std::optional<ExitStatus> status = PollExit(pid)) return status;
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(20));
  }
}

}  // namespace xmppfed::testing
