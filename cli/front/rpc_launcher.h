// Hands agent verbs to `xmppfed-rpc`, the gRPC half of the CLI, by exec'ing
// it with the same argv. Only verbs that talk to the agent come here, so
// only they pay for gRPC. xmppfed-rpc is linked statically where possible:
// resolving the ~60 shared libraries of gRPC costs more than the call itself.
#ifndef XMPPFED_CLI_FRONT_RPC_LAUNCHER_H_
#define XMPPFED_CLI_FRONT_RPC_LAUNCHER_H_

#include <string>
#include <vector>

namespace xmppfed::cli {

// Where xmppfed-rpc is looked for, in order: the directory of the running
// executable (so a build tree works as is), then the install directory.
std::vector<std::string> RpcCandidates();

// Replaces this process with xmppfed-rpc running `argv`. Returns only on
// failure: exit code 1 after a message naming the places searched.
int ExecRpc(char** argv);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_FRONT_RPC_LAUNCHER_H_
