// xmppfed-rpc: the gRPC half of the CLI. The front end (`xmppfed`) execs it
// with the original argv for every verb that talks to the agent; it parses
// the same command line with the same code and runs the verb.
#include <cstdio>
#include <exception>
#include <optional>

#include "cli/exit_codes.h"
#include "cli/front/parse_invocation.h"
#include "cli/rpc/verb_context.h"
#include "cli/rpc/verb_table.h"

int main(int argc, char** argv) {
  using namespace xmppfed::cli;
  int exit_code = kExitOk;
  std::optional<Invocation> invocation =
      ParseCommandLine(argc, argv, &exit_code);
  if (!invocation) return exit_code;
  const RpcVerb* verb = FindRpcVerb(invocation->verb);
  if (verb == nullptr) {
    std::fprintf(stderr, "xmppfed: %s: not a verb that talks to the agent\n",
                 invocation->verb.c_str());
    return kExitUsage;
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
