// The agent tells systemd when it is ready (Type=notify): with NOTIFY_SOCKET
// set, READY=1 arrives once the API answers calls, STOPPING=1 on SIGTERM,
// each once, and a reload (SIGHUP) is RELOADING=1 then READY=1; a notify
// socket nobody listens on never stops the agent.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstring>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/agent_process.h"
#include "tests/support/cli.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace xmppfed::testing {
namespace {

using ::testing::Contains;
using ::testing::Not;

// A datagram socket bound where NOTIFY_SOCKET says, as systemd has it.
class NotifySocket {
 public:
  // `name`: a path, or "@name" for the abstract namespace.
  explicit NotifySocket(std::string name) : name_(std::move(name)) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, name_.data(), name_.size());
    if (name_[0] == '@') address.sun_path[0] = '\0';
    socklen_t length =
        static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name_.size());
    bound_ = fd_ >= 0 && name_.size() < sizeof(address.sun_path) &&
             ::bind(fd_, reinterpret_cast<sockaddr*>(&address), length) == 0;
  }
  ~NotifySocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool bound() const { return bound_; }
  const std::string& name() const { return name_; }

  // The next datagram's lines, or nullopt after `timeout`.
  std::optional<std::vector<std::string>> Receive(
      std::chrono::milliseconds timeout) {
    pollfd waiting{fd_, POLLIN, 0};
    if (::poll(&waiting, 1, static_cast<int>(timeout.count())) != 1) {
      return std::nullopt;
    }
    char buffer[4096];
    ssize_t size = ::recv(fd_, buffer, sizeof(buffer), 0);
    if (size < 0) return std::nullopt;
    std::vector<std::string> lines;
    std::string line;
    for (ssize_t i = 0; i < size; ++i) {
      if (buffer[i] == '\n') {
        lines.push_back(line);
        line.clear();
      } else {
        line += buffer[i];
      }
    }
    if (!line.empty()) lines.push_back(line);
    return lines;
  }

 private:
  std::string name_;
  int fd_ = -1;
  bool bound_ = false;
};

// An agent started with NOTIFY_SOCKET; killed if a test ends early.
class NotifiedAgent {
 public:
  NotifiedAgent(const TempDir& dir, const std::string& notify_socket)
      : socket_(dir.File("agent.sock")), log_(dir.File("agent.log")) {
    RunOptions options;
    options.unset_env = {"XMPPFED_SOCKET"};
    options.env = {{"NOTIFY_SOCKET", notify_socket}};
    pid_ = StartBackground(
        AgentBinary(),
        AgentBaseArgs(socket_, "sqlite:" + dir.File("xmppfed.db")), "", log_,
        options, &error_);
  }
  ~NotifiedAgent() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      WaitForExit(pid_, std::chrono::seconds(10));
    }
  }
  pid_t pid() const { return pid_; }
  const std::string& error() const { return error_; }
  const std::string& socket() const { return socket_; }
  std::string Log() const { return ReadFileOrEmpty(log_); }
  std::optional<ExitStatus> Terminate() {
    ::kill(pid_, SIGTERM);
    std::optional<ExitStatus> status =
        WaitForExit(pid_, std::chrono::seconds(20));
    if (status) pid_ = -1;
    return status;
  }

 private:
  std::string socket_;
  std::string log_;
  std::string error_;
  pid_t pid_ = -1;
};

void ExpectReadyThenStopping(const TempDir& dir, NotifySocket& notify) {
  ASSERT_TRUE(notify.bound())
      << "cannot bind " << notify.name() << ": " << std::strerror(errno);
  NotifiedAgent agent(dir, notify.name());
  ASSERT_GT(agent.pid(), 0) << agent.error();

  std::optional<std::vector<std::string>> ready =
      notify.Receive(AgentProcess::StartTimeout());
  ASSERT_TRUE(ready.has_value()) << "no notification; the agent's log:\n"
                                 << agent.Log();
  EXPECT_THAT(*ready, Contains("READY=1"));
  // Ready means ready: the socket accepts at once, and the first call
  // succeeds.
  EXPECT_TRUE(SocketAcceptsConnections(agent.socket()));
  CliResult call = RunCli({"get-agent", "-o", "json"}, agent.socket());
  EXPECT_EQ(call.exit_code, 0) << call;

  std::optional<ExitStatus> status = agent.Terminate();
  ASSERT_TRUE(status.has_value()) << "the agent did not stop on SIGTERM";
  EXPECT_TRUE(status->exited && status->code == 0) << *status;
  std::optional<std::vector<std::string>> stopping =
      notify.Receive(std::chrono::seconds(1));
  ASSERT_TRUE(stopping.has_value()) << "no STOPPING=1; log:\n" << agent.Log();
  EXPECT_THAT(*stopping, Contains("STOPPING=1"));
  EXPECT_THAT(*stopping, Not(Contains("READY=1")));
  // Nothing else: READY=1 was sent once.
  EXPECT_EQ(notify.Receive(std::chrono::milliseconds(100)), std::nullopt);
}

TEST(Readiness, NotifiesAPathSocketWhenReadyAndWhenStopping) {
  TempDir dir("notify");
  NotifySocket notify(dir.File("notify.sock"));
  ExpectReadyThenStopping(dir, notify);
}

TEST(Readiness, NotifiesAnAbstractSocket) {
  TempDir dir("notify");
  NotifySocket notify("@xmppfed-test-notify-" + std::to_string(::getpid()));
  ExpectReadyThenStopping(dir, notify);
}

TEST(Readiness, AReloadIsReloadingThenReady) {
  TempDir dir("notify");
  NotifySocket notify(dir.File("notify.sock"));
  ASSERT_TRUE(notify.bound()) << std::strerror(errno);
  NotifiedAgent agent(dir, notify.name());
  ASSERT_GT(agent.pid(), 0) << agent.error();
  std::optional<std::vector<std::string>> ready =
      notify.Receive(AgentProcess::StartTimeout());
  ASSERT_TRUE(ready.has_value()) << agent.Log();
  ASSERT_THAT(*ready, Contains("READY=1"));

  ASSERT_EQ(::kill(agent.pid(), SIGHUP), 0);
  std::optional<std::vector<std::string>> reloading =
      notify.Receive(std::chrono::seconds(10));
  ASSERT_TRUE(reloading.has_value()) << agent.Log();
  EXPECT_THAT(*reloading, Contains("RELOADING=1"));
  std::optional<std::vector<std::string>> reloaded =
      notify.Receive(std::chrono::seconds(10));
  ASSERT_TRUE(reloaded.has_value()) << agent.Log();
  EXPECT_THAT(*reloaded, Contains("READY=1"));
  // Still serving.
  CliResult call = RunCli({"get-agent"}, agent.socket());
  EXPECT_EQ(call.exit_code, 0) << call;
  std::optional<ExitStatus> status = agent.Terminate();
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(status->exited && status->code == 0) << *status;
}

TEST(Readiness, AnUnreachableNotifySocketDoesNotStopTheAgent) {
  TempDir dir("notify");
  NotifiedAgent agent(dir, dir.File("nobody-listens.sock"));
  ASSERT_GT(agent.pid(), 0) << agent.error();
  const auto deadline =
      std::chrono::steady_clock::now() + AgentProcess::StartTimeout();
  while (!SocketAcceptsConnections(agent.socket()) &&
         std::chrono::steady_clock::now() < deadline) {
    ASSERT_EQ(PollExit(agent.pid()), std::nullopt) << agent.Log();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CliResult call = RunCli({"get-agent"}, agent.socket());
  EXPECT_EQ(call.exit_code, 0) << call;
  std::optional<ExitStatus> status = agent.Terminate();
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(status->exited && status->code == 0) << *status;
}

}  // namespace
}  // namespace xmppfed::testing
