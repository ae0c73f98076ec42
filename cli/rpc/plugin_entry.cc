// The plugin's one exported symbol: the front end's door into gRPC.
#include <cstdio>
#include <exception>

#include "cli/exit_codes.h"
#include "cli/invocation.h"
#include "cli/rpc/verb_context.h"
#include "cli/rpc/verb_table.h"

extern "C" __attribute__((visibility("default"))) int xmppfed_cli_run(
    const xmppfed::cli::Invocation* invocation, int abi_version) {
  using namespace xmppfed::cli;
  if (abi_version != kInvocationAbi) {
    std::fprintf(stderr,
                 "xmppfed: the installed xmppfed-cli-rpc.so does not match "
                 "this xmppfed (interface %d, expected %d); reinstall "
                 "xmppfed\n",
                 kInvocationAbi, abi_version);
    return kExitRefused;
  }
  const RpcVerb* verb = FindRpcVerb(invocation->verb);
  if (verb == nullptr) {
    std::fprintf(stderr, "xmppfed: %s: not implemented by xmppfed-cli-rpc.so\n",
                 invocation->verb.c_str());
    return kExitRefused;
  }
  try {
    VerbContext context(*invocation);
    return verb->run(context);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "xmppfed: %s: %s\n", invocation->verb.c_str(),
                 e.what());
    return kExitRefused;
  }
}
