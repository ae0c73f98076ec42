// The one mapping from a failed gRPC call to the CLI's exit code and message
// (SPEC §5). Numbers come from cli/exit_codes.h.
#ifndef XMPPFED_CLI_RPC_STATUS_EXIT_H_
#define XMPPFED_CLI_RPC_STATUS_EXIT_H_

#include <grpcpp/support/status.h>

#include <string>
#include <string_view>

namespace xmppfed::cli {

// OK -> 0; INVALID_ARGUMENT, ALREADY_EXISTS, FAILED_PRECONDITION (and every
// code not named here) -> 1; NOT_FOUND -> 3; UNAVAILABLE -> 69;
// PERMISSION_DENIED -> 77.
int ExitCodeFor(grpc::StatusCode code);

// The exit code of a failed call: ExitCodeFor its code, except that a socket
// the user may not connect to (UNAVAILABLE before the agent answered, for
// permission denied) is 77 like a denial by the agent.
int ExitCodeForFailure(const grpc::Status& status,
                       const std::string& socket_path, bool agent_answered);

// The group whose members may reach the socket: the socket file's group, or
// when the file cannot even be looked at, the group of the nearest directory
// on its path that keeps the user out. Its name from /etc/group, or "gid N"
// when the file has none; "" when nothing on the path can be looked at.
std::string SocketGroup(const std::string& socket_path);

// Why the socket could not be reached, in a few words: "no such socket",
// "permission denied", "not a socket", "connection refused", or gRPC's own
// text. `grpc_message` is the failed call's message.
std::string UnreachableReason(const std::string& socket_path,
                              std::string_view grpc_message);

// The stderr line(s) for a failed call, without the trailing newline:
// * the socket refused the user (permission denied): "xmppfed: cannot use
//   xmppfed-agent at PATH: permission denied. Only members of group GROUP
//   may use it; ..." (never "start the agent": it runs)
// * the agent could not be reached (`agent_answered` false and UNAVAILABLE):
//   "xmppfed: cannot reach xmppfed-agent at PATH (REASON). Start it with ..."
// * otherwise "xmppfed: VERB SUBJECT: MESSAGE", SUBJECT left out when empty,
//   MESSAGE being the agent's (which names field, value and rule) plus what
//   the ErrorDetail adds (the owner of a clashing domain).
std::string FailureMessage(std::string_view verb, std::string_view subject,
                           const grpc::Status& status,
                           const std::string& socket_path, bool agent_answered);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_RPC_STATUS_EXIT_H_
