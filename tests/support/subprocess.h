// Running programs without a shell: argv as given, extra environment, stdin
// text, captured stdout/stderr, a timeout that kills. Also background
// processes (the agent) whose output goes to files.
//
// Every child is killed (SIGKILL) when the thread that started it ends, so
// an agent never outlives a test that crashed or was killed by ctest. Start
// long-lived children from the test's main thread.
#ifndef XMPPFED_TESTS_SUPPORT_SUBPROCESS_H_
#define XMPPFED_TESTS_SUPPORT_SUBPROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace xmppfed::testing {

// How a process ended.
struct ExitStatus {
  bool exited = false;     // true: ended with exit(code)
  int code = -1;           // the exit code when exited
  int signal = 0;          // the signal that ended it when !exited
  bool timed_out = false;  // killed by us after the timeout

  // 0..255 when exited, -1 otherwise.
  int ExitCodeOrMinusOne() const { return exited ? code : -1; }
  std::string ToString() const;
};

struct RunOptions {
  using Environment = std::vector<std::pair<std::string, std::string>>;
  // Added to (or overriding) the test's own environment.
  Environment env;
  // Removed from the environment (applied before `env`).
  std::vector<std::string> unset_env;
  // nullopt: stdin is /dev/null. Otherwise a pipe fed with this text and
  // then closed. Either way stdin is never a terminal.
  std::optional<std::string> stdin_text;
  // After this the process is killed with SIGKILL.
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};
  // The child runs in a session of its own, without a controlling terminal
  // (so a program that would prompt on /dev/tty finds none, even when the
  // tests run from a terminal).
  bool new_session = false;
  // A terminal device (a pseudo-terminal's, see pseudo_terminal.h) the child
  // gets as its controlling terminal, in a session of its own.
  std::string controlling_terminal;
};

struct ProcessResult {
  ExitStatus status;
  std::string out;
  std::string err;
  // Non-empty when the program could not be started at all.
  std::string spawn_error;
};

// Runs `program` (a path) with `args` (argv[1..]) to completion.
ProcessResult RunProcess(const std::string& program,
                         const std::vector<std::string>& args,
                         const RunOptions& options = {});

// Starts `program` in the background with stdin from /dev/null and stdout and
// stderr appended to the given files ("" = /dev/null). Returns the pid, or -1
// with `error` set.
pid_t StartBackground(const std::string& program,
                      const std::vector<std::string>& args,
                      const std::string& stdout_file,
                      const std::string& stderr_file, const RunOptions& options,
                      std::string* error);

// The parent's ends of a child's stdin, stdout and stderr pipes.
struct ChildPipes {
  int in = -1;
  int out = -1;
  int err = -1;
};

// Starts `program` with its stdin, stdout and stderr on pipes whose other
// ends go to `pipes` (the caller closes them). `options.stdin_text` and
// `options.timeout` are not used. Returns the pid, or -1 with `error` set.
pid_t StartPiped(const std::string& program,
                 const std::vector<std::string>& args,
                 const RunOptions& options, ChildPipes* pipes,
                 std::string* error);

// Waits for `pid` (a child of ours) up to `timeout`; nullopt if it is still
// running then. Never kills.
std::optional<ExitStatus> WaitForExit(pid_t pid,
                                      std::chrono::milliseconds timeout);

// Non-blocking: the exit status if `pid` has ended (and reaps it).
std::optional<ExitStatus> PollExit(pid_t pid);

std::ostream& operator<<(std::ostream& os, const ExitStatus& status);

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_SUPPORT_SUBPROCESS_H_
