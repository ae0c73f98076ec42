// Every exit status of `xmppfed`, in one place (SPEC §5). The mapping from
// gRPC status codes lives in cli/rpc/status_exit.h and uses only these.
#ifndef XMPPFED_CLI_EXIT_CODES_H_
#define XMPPFED_CLI_EXIT_CODES_H_

namespace xmppfed::cli {

enum ExitCode : int {
  kExitOk = 0,
  // The agent refused (validation, conflict, stale revision): nothing changed.
  // Also any other failure that is not one of the cases below.
  kExitRefused = 1,
  // The command line itself is wrong; nothing was sent.
  kExitUsage = 2,
  kExitNotFound = 3,
  // A bulk run in which some records were refused.
  kExitPartial = 4,
  // Cancelled at a prompt, or a prompt was needed but stdin is no terminal.
  kExitCancelled = 5,
  // The agent cannot be reached (sysexits EX_UNAVAILABLE).
  kExitUnreachable = 69,
  // Permission denied (sysexits EX_NOPERM): the caller's role does not allow
  // the verb, or the socket does not let the user connect.
  kExitPermissionDenied = 77,
};

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_EXIT_CODES_H_
