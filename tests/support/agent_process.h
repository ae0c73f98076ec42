// A real xmppfed-agent for one test: its socket and SQLite store live in a
// directory the test owns; its stderr (the log) goes to a file there.
#ifndef XMPPFED_TESTS_SUPPORT_AGENT_PROCESS_H_
#define XMPPFED_TESTS_SUPPORT_AGENT_PROCESS_H_

#include <gtest/gtest.h>
#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "tests/support/subprocess.h"

namespace xmppfed::testing {

// The agent binary this build produced.
const std::string& AgentBinary();

// The arguments every test agent gets: socket and store inside `dir`, both
// federation listeners off (the only setting this build accepts).
std::vector<std::string> AgentBaseArgs(const std::string& socket_path,
                                       const std::string& store_uri);

class AgentProcess {
 public:
  // The socket is DIR/agent.sock, the store sqlite:DIR/xmppfed.db, the log
  // DIR/agent.log. `extra_args` (e.g. {"--domain", "example.test"}) follow
  // the base arguments on every start.
  explicit AgentProcess(std::string dir,
                        std::vector<std::string> extra_args = {});
  // Kills the agent if it still runs.
  ~AgentProcess();

  AgentProcess(const AgentProcess&) = delete;
  AgentProcess& operator=(const AgentProcess&) = delete;

  // Starts the agent and waits until its socket accepts a connection. Fails
  // (with the agent's log) if the agent exits first or the deadline passes.
  ::testing::AssertionResult Start();
  // From now on start with exactly `args` (no base arguments, no extra
  // ones), e.g. {"--config", FILE}. socket_path(), store_path() and
  // log_path() keep naming the files in dir(); `args` should use them.
  void ReplaceArgs(std::vector<std::string> args) {
    replaced_args_ = std::move(args);
    args_replaced_ = true;
  }
  // Sets an environment variable for every later start.
  void SetEnvironment(std::string name, std::string value) {
    extra_env_.emplace_back(std::move(name), std::move(value));
  }
  // SIGTERM, then waits; returns how it ended (after `timeout` it is killed
  // and the status says timed_out).
  ExitStatus Terminate(
      std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // SIGKILL, then waits.
  ExitStatus Kill();
  // Terminate() if running, then Start(). The terminate status must be a
  // clean exit 0.
  ::testing::AssertionResult Restart();

  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  const std::string& dir() const { return dir_; }
  std::string socket_path() const { return dir_ + "/agent.sock"; }
  std::string store_path() const { return dir_ + "/xmppfed.db"; }
  std::string store_uri() const { return "sqlite:" + store_path(); }
  std::string log_path() const { return dir_ + "/agent.log"; }
  // Everything the agent wrote on stderr, over all its starts.
  std::string Log() const;
  // Waits (up to `timeout`) until Log() holds `text`.
  bool WaitForLog(const std::string& text, std::chrono::milliseconds timeout =
                                               std::chrono::seconds(10)) const;

  // How long Start() waits for the socket. Default 10 s, longer under
  // sanitizers (XMPPFED_TEST_START_TIMEOUT_MS overrides).
  static std::chrono::milliseconds StartTimeout();

 private:
  std::string dir_;
  std::vector<std::string> extra_args_;
  bool args_replaced_ = false;
  std::vector<std::string> replaced_args_;
  RunOptions::Environment extra_env_;
  pid_t pid_ = -1;
};

// Waits (up to `timeout`) until the file at `path` holds `text`.
bool WaitForFileText(const std::string& path, const std::string& text,
                     std::chrono::milliseconds timeout);

// True when a Unix socket at `path` accepts a connection right now.
bool SocketAcceptsConnections(const std::string& path);

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_SUPPORT_AGENT_PROCESS_H_
