// Running the real `xmppfed` CLI binary as a subprocess, stdin never a
// terminal and no controlling terminal either (its own session).
#ifndef XMPPFED_TESTS_SUPPORT_CLI_H_
#define XMPPFED_TESTS_SUPPORT_CLI_H_

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "tests/support/subprocess.h"

namespace xmppfed::testing {

// The CLI binary this build produced.
const std::string& CliBinary();

struct CliResult {
  // The exit code, or -1 when the CLI died from a signal or timed out (see
  // `status`).
  int exit_code = -1;
  std::string out;
  std::string err;
  ExitStatus status;
  // The argv (after the binary) for failure messages.
  std::vector<std::string> args;
};

// Everything about a run, for assertion messages: `EXPECT_EQ(r.exit_code, 0)
// << r;`.
std::ostream& operator<<(std::ostream& os, const CliResult& result);

struct CliOptions {
  std::optional<std::string> stdin_text;  // nullopt: /dev/null
  RunOptions::Environment extra_env;      // added to the environment
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};
};

// Runs `xmppfed --socket SOCKET ARGS...` with stdin from `stdin_text` (a
// pipe) or /dev/null. XMPPFED_SOCKET is removed from the environment.
CliResult RunCli(const std::vector<std::string>& args,
                 const std::string& socket,
                 std::optional<std::string> stdin_text = {});

// Runs `xmppfed ARGS...` exactly as given (no --socket added), e.g. to test
// global options after the verb or XMPPFED_SOCKET in `options.extra_env`.
CliResult RunCliRaw(const std::vector<std::string>& args,
                    const CliOptions& options = {});

// RunCli as the user `user` (a name), with that user's groups, through
// setpriv --reuid --regid --init-groups: what the user would see at a shell.
// The test must run as root.
CliResult RunCliAs(const std::string& user,
                   const std::vector<std::string>& args,
                   const std::string& socket,
                   std::optional<std::string> stdin_text = {});

// Runs `xmppfed --socket SOCKET ARGS...` with stdout and stderr on a
// pseudo-terminal of `columns` columns (util-linux `script`; $COLUMNS), as
// an operator's shell would: `out` holds both streams as the terminal
// showed them (lines end in "\r\n"). exit_code -1 and a note in `err` when
// `script` is not installed.
CliResult RunCliOnTerminal(const std::vector<std::string>& args,
                           const std::string& socket, int columns = 80);

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_SUPPORT_CLI_H_
