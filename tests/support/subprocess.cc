#include "tests/support/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
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
// The child gets SIGPIPE back at its default (see Spawn).
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

// What the child's stdin, stdout or stderr becomes: a copy of one of our
// descriptors, or a file opened in the child.
struct ChildFd {
  int from_fd = -1;            // dup2'ed when >= 0
  const char* path = nullptr;  // else opened with `flags`
  int flags = 0;
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

// fork + execve. In the child, before exec: the child dies with SIGKILL
// when the thread that started it ends (so an agent never outlives a crashed
// or killed test), the signals the tests touch are back at their defaults,
// nothing is blocked, and fds 0-2 are set up as asked. Only async-signal-safe
// calls run between fork and exec.
pid_t Spawn(const std::string& program, const std::vector<std::string>& args,
            const ChildFd (&fds)[3], const RunOptions& options,
            std::string* error) {
  IgnoreSigpipeOnce();
  std::vector<std::string> argv_strings;
  argv_strings.push_back(program);
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<std::string> env_strings = BuildEnvironment(options);
  std::vector<char*> argv = Pointers(argv_strings);
  std::vector<char*> envp = Pointers(env_strings);
  int exec_error[2];
  if (::pipe2(exec_error, O_CLOEXEC) != 0) {
    *error = std::string("pipe: ") + ::strerror(errno);
    return -1;
  }
  const pid_t parent = ::getpid();
  const char* terminal = options.controlling_terminal.empty()
                             ? nullptr
                             : options.controlling_terminal.c_str();
  pid_t pid = ::fork();
  if (pid < 0) {
    *error = std::string("fork: ") + ::strerror(errno);
    ::close(exec_error[0]);
    ::close(exec_error[1]);
    return -1;
  }
  if (pid == 0) {
    auto fail = [&](int code) {
      ssize_t ignored = ::write(exec_error[1], &code, sizeof(code));
      (void)ignored;
      ::_exit(127);
    };
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail(errno);
    if (::getppid() != parent) ::_exit(127);  // the parent is already gone
    struct sigaction defaults {};
    defaults.sa_handler = SIG_DFL;
    for (int sig : {SIGPIPE, SIGTERM, SIGINT, SIGCHLD, SIGHUP}) {
      ::sigaction(sig, &defaults, nullptr);
    }
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    if ((options.new_session || terminal != nullptr) && ::setsid() < 0) {
      fail(errno);
    }
    if (terminal != nullptr) {
      // A session leader without a terminal acquires the first it opens.
      int tty = ::open(terminal, O_RDWR | O_CLOEXEC);
      if (tty < 0 || ::ioctl(tty, TIOCSCTTY, 0) < 0) fail(errno);
    }
    // Open or pick every source first, then move them into place, so that a
    // source that happens to be fd 0-2 is not overwritten early.
    int sources[3];
    for (int target = 0; target < 3; ++target) {
      if (fds[target].from_fd >= 0) {
        sources[target] = ::fcntl(fds[target].from_fd, F_DUPFD_CLOEXEC, 3);
      } else {
        sources[target] =
            ::open(fds[target].path, fds[target].flags | O_CLOEXEC, 0600);
      }
      if (sources[target] < 0) fail(errno);
    }
    for (int target = 0; target < 3; ++target) {
      if (::dup2(sources[target], target) < 0) fail(errno);
    }
    ::execve(program.c_str(), argv.data(), envp.data());
    fail(errno);
  }
  ::close(exec_error[1]);
  int child_errno = 0;
  ssize_t n;
  do {
    n = ::read(exec_error[0], &child_errno, sizeof(child_errno));
  } while (n < 0 && errno == EINTR);
  ::close(exec_error[0]);
  if (n == static_cast<ssize_t>(sizeof(child_errno))) {
    int ignored;
    while (::waitpid(pid, &ignored, 0) < 0 && errno == EINTR) {
    }
    *error = "cannot start " + program + ": " + ::strerror(child_errno);
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
  ChildFd fds[3];
  if (options.stdin_text) {
    fds[0].from_fd = in_pipe[0];
  } else {
    fds[0].path = "/dev/null";
    fds[0].flags = O_RDONLY;
  }
  fds[1].from_fd = out_pipe[1];
  fds[2].from_fd = err_pipe[1];
  pid_t pid = Spawn(program, args, fds, options, &result.spawn_error);
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
  const int append = O_WRONLY | O_CREAT | O_APPEND;
  ChildFd fds[3];
  fds[0].path = "/dev/null";
  fds[0].flags = O_RDONLY;
  fds[1].path = stdout_file.empty() ? "/dev/null" : stdout_file.c_str();
  fds[1].flags = append;
  fds[2].path = stderr_file.empty() ? "/dev/null" : stderr_file.c_str();
  fds[2].flags = append;
  return Spawn(program, args, fds, options, error);
}

pid_t StartPiped(const std::string& program,
                 const std::vector<std::string>& args,
                 const RunOptions& options, ChildPipes* pipes,
                 std::string* error) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0) {
    *error = std::string("pipe: ") + ::strerror(errno);
    return -1;
  }
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    *error = std::string("pipe: ") + ::strerror(errno);
    ::close(in_pipe[0]);
    ::close(in_pipe[1]);
    return -1;
  }
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    *error = std::string("pipe: ") + ::strerror(errno);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1]}) {
      ::close(fd);
    }
    return -1;
  }
  ChildFd fds[3];
  fds[0].from_fd = in_pipe[0];
  fds[1].from_fd = out_pipe[1];
  fds[2].from_fd = err_pipe[1];
  pid_t pid = Spawn(program, args, fds, options, error);
  for (int fd : {in_pipe[0], out_pipe[1], err_pipe[1]}) ::close(fd);
  if (pid < 0) {
    for (int fd : {in_pipe[1], out_pipe[0], err_pipe[0]}) ::close(fd);
    return -1;
  }
  *pipes = ChildPipes{in_pipe[1], out_pipe[0], err_pipe[0]};
  return pid;
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
