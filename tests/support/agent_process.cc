#include "tests/support/agent_process.h"

#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "tests/support/temp_dir.h"

#ifndef XMPPFED_AGENT_BIN
#error "XMPPFED_AGENT_BIN must name the xmppfed-agent binary"
#endif

namespace xmppfed::testing {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

const std::string& AgentBinary() {
  static const std::string* const path = new std::string(XMPPFED_AGENT_BIN);
  return *path;
}

std::vector<std::string> AgentBaseArgs(const std::string& socket_path,
                                       const std::string& store_uri) {
  return {
      "--socket", socket_path,          "--store", store_uri, "--s2s-listen",
      "off",      "--component-listen", "off"};
}

bool SocketAcceptsConnections(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof(address.sun_path)) return false;
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  int rc;
  do {
    rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&address),
                   sizeof(address));
  } while (rc != 0 && errno == EINTR);
  ::close(fd);
  return rc == 0;
}

std::chrono::milliseconds AgentProcess::StartTimeout() {
  if (const char* text = std::getenv("XMPPFED_TEST_START_TIMEOUT_MS")) {
    long value = std::strtol(text, nullptr, 10);
    if (value > 0) return std::chrono::milliseconds(value);
  }
#if defined(__SANITIZE_ADDRESS__)
  return std::chrono::seconds(30);
#else
  return std::chrono::seconds(10);
#endif
}

AgentProcess::AgentProcess(std::string dir, std::vector<std::string> extra_args)
    : dir_(std::move(dir)), extra_args_(std::move(extra_args)) {}

AgentProcess::~AgentProcess() {
  if (running()) Kill();
}

std::string AgentProcess::Log() const { return ReadFileOrEmpty(log_path()); }

bool AgentProcess::WaitForLog(const std::string& text,
                              std::chrono::milliseconds timeout) const {
  return WaitForFileText(log_path(), text, timeout);
}

bool WaitForFileText(const std::string& path, const std::string& text,
                     std::chrono::milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  auto pause = std::chrono::milliseconds(2);
  while (ReadFileOrEmpty(path).find(text) == std::string::npos) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
  return true;
}

::testing::AssertionResult AgentProcess::Start() {
  if (running()) {
    return ::testing::AssertionFailure() << "the agent is already running";
  }
  std::vector<std::string> args;
  if (args_replaced_) {
    args = replaced_args_;
  } else {
    args = AgentBaseArgs(socket_path(), store_uri());
    args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  }
  RunOptions options;
  // The agent must take its socket from --socket, not from the environment.
  options.unset_env = {"XMPPFED_SOCKET", "NOTIFY_SOCKET"};
  options.env = extra_env_;
  std::string error;
  pid_t pid =
      StartBackground(AgentBinary(), args, "", log_path(), options, &error);
  if (pid < 0) return ::testing::AssertionFailure() << error;
  pid_ = pid;

  const Clock::time_point deadline = Clock::now() + StartTimeout();
  auto pause = std::chrono::milliseconds(2);
  while (true) {
    if (std::optional<ExitStatus> status = PollExit(pid_)) {
      pid_ = -1;
      return ::testing::AssertionFailure()
             << "xmppfed-agent exited before its socket accepted connections ("
             << *status << "); its stderr:\n"
             << Log();
    }
    if (SocketAcceptsConnections(socket_path())) {
      return ::testing::AssertionSuccess();
    }
    if (Clock::now() >= deadline) {
      Kill();
      return ::testing::AssertionFailure()
             << "xmppfed-agent did not accept connections on " << socket_path()
             << " within " << StartTimeout().count()
             << " ms (killed); its stderr:\n"
             << Log();
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
}

ExitStatus AgentProcess::Terminate(std::chrono::milliseconds timeout) {
  if (!running()) return ExitStatus{};
  ::kill(pid_, SIGTERM);
  std::optional<ExitStatus> status = WaitForExit(pid_, timeout);
  if (!status) {
    ::kill(pid_, SIGKILL);
    status = WaitForExit(pid_, std::chrono::seconds(10));
    if (!status) status = ExitStatus{};
    status->timed_out = true;
  }
  pid_ = -1;
  return *status;
}

ExitStatus AgentProcess::Kill() {
  if (!running()) return ExitStatus{};
  ::kill(pid_, SIGKILL);
  std::optional<ExitStatus> status =
      WaitForExit(pid_, std::chrono::seconds(10));
  pid_ = -1;
  return status ? *status : ExitStatus{};
}

::testing::AssertionResult AgentProcess::Restart() {
  if (running()) {
    ExitStatus status = Terminate();
    if (!status.exited || status.code != 0) {
      return ::testing::AssertionFailure()
             << "xmppfed-agent did not stop cleanly on SIGTERM (" << status
             << "); its stderr:\n"
             << Log();
    }
  }
  return Start();
}

}  // namespace xmppfed::testing
