#include "tests/support/cli.h"

#include <unistd.h>

#ifndef XMPPFED_CLI_BIN
#error "XMPPFED_CLI_BIN must name the xmppfed binary"
#endif

namespace xmppfed::testing {

const std::string& CliBinary() {
  static const std::string* const path = new std::string(XMPPFED_CLI_BIN);
  return *path;
}

std::ostream& operator<<(std::ostream& os, const CliResult& result) {
  os << "\n$ xmppfed";
  for (const std::string& arg : result.args) os << " '" << arg << "'";
  os << "\n-> " << result.status << "\n--- stdout ---\n"
     << result.out << "\n--- stderr ---\n"
     << result.err << "\n--------------";
  return os;
}

namespace {

// What a finished CLI process left, for assertions; `shown_args` is what
// failure messages print after "xmppfed".
CliResult ResultOf(std::vector<std::string> shown_args, ProcessResult process) {
  CliResult result;
  result.args = std::move(shown_args);
  result.status = process.status;
  result.exit_code = process.status.ExitCodeOrMinusOne();
  result.out = std::move(process.out);
  result.err = process.spawn_error.empty()
                   ? std::move(process.err)
                   : process.spawn_error + "\n" + process.err;
  return result;
}

}  // namespace

CliResult RunCliRaw(const std::vector<std::string>& args,
                    const CliOptions& options) {
  RunOptions run;
  // The socket comes from the arguments unless a test sets it in extra_env.
  run.unset_env = {"XMPPFED_SOCKET"};
  run.env = options.extra_env;
  run.stdin_text = options.stdin_text;
  run.timeout = options.timeout;
  // Never a prompt on the terminal the tests run from.
  run.new_session = true;
  return ResultOf(args, RunProcess(CliBinary(), args, run));
}

CliResult RunCli(const std::vector<std::string>& args,
                 const std::string& socket,
                 std::optional<std::string> stdin_text) {
  std::vector<std::string> full = {"--socket", socket};
  full.insert(full.end(), args.begin(), args.end());
  CliOptions options;
  options.stdin_text = std::move(stdin_text);
  return RunCliRaw(full, options);
}

CliResult RunCliAs(const std::string& user,
                   const std::vector<std::string>& args,
                   const std::string& socket,
                   std::optional<std::string> stdin_text) {
  std::vector<std::string> full = {
      "--reuid", user,        "--regid",  user,  "--init-groups",
      "--",      CliBinary(), "--socket", socket};
  full.insert(full.end(), args.begin(), args.end());
  RunOptions run;
  run.unset_env = {"XMPPFED_SOCKET"};
  run.stdin_text = std::move(stdin_text);
  run.new_session = true;
  std::vector<std::string> shown = {"(as " + user + ")", "--socket", socket};
  shown.insert(shown.end(), args.begin(), args.end());
  return ResultOf(std::move(shown), RunProcess("/usr/bin/setpriv", full, run));
}

CliResult RunCliOnTerminal(const std::vector<std::string>& args,
                           const std::string& socket, int columns) {
  CliResult result;
  result.args = args;
  if (::access("/usr/bin/script", X_OK) != 0) {
    result.err = "util-linux script is not installed";
    return result;
  }
  auto quoted = [](const std::string& word) {
    std::string out = "'";
    for (char c : word)
      out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
  };
  std::string command = "COLUMNS=" + std::to_string(columns) + " " +
                        quoted(CliBinary()) + " --socket " + quoted(socket);
  for (const std::string& arg : args) command += " " + quoted(arg);
  RunOptions run;
  run.unset_env = {"XMPPFED_SOCKET"};
  ProcessResult process = RunProcess(
      "/usr/bin/script", {"-q", "-e", "-c", command, "/dev/null"}, run);
  result.status = process.status;
  result.exit_code = process.status.ExitCodeOrMinusOne();
  result.out = std::move(process.out);
  result.err = std::move(process.err);
  return result;
}

}  // namespace xmppfed::testing
