// The front end's command line: argv -> Invocation, without side effects
// (nothing printed, nothing read but the environment for the socket path),
// so tests can drive it directly.
#ifndef XMPPFED_CLI_FRONT_PARSE_INVOCATION_H_
#define XMPPFED_CLI_FRONT_PARSE_INVOCATION_H_

#include <optional>
#include <string>

#include "cli/exit_codes.h"
#include "cli/front/socket_path.h"
#include "cli/invocation.h"

namespace xmppfed::cli {

struct ParseResult {
  // Set when a verb is to run; otherwise parsing ended (help, or an error)
  // and the process exits with exit_code after printing out and err.
  std::optional<Invocation> invocation;
  int exit_code = kExitOk;
  // For stdout (help text) and stderr (the usage error and a hint).
  std::string out;
  std::string err;
};

ParseResult ParseInvocation(int argc, const char* const* argv,
                            const SocketEnvironment& env);

// With the process's real environment.
ParseResult ParseInvocation(int argc, const char* const* argv);

// What both executables of the CLI do first: parse with the real
// environment and print what parsing had to say (help on stdout, a usage
// error on stderr). Returns the invocation to run, or nullopt with
// *exit_code set.
std::optional<Invocation> ParseCommandLine(int argc, const char* const* argv,
                                           int* exit_code);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_FRONT_PARSE_INVOCATION_H_
