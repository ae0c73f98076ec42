// xmppfed-rpc: the gRPC half of the CLI. The front end (`xmppfed`) execs it
// with the original argv for every verb that talks to the agent; it parses
// the same command line with the same code and runs the verb.
#include <cstdio>
#include <exception>
#include <iostream>

#include "cli/exit_codes.h"
#include "cli/front/parse_invocation.h"
#include "cli/rpc/verb_context.h"
#include "cli/rpc/verb_table.h"

int main(int argc, char** argv) {
  using namespace xmppfed::cli;
  ParseResult parsed = ParseInvocation(argc, argv);
  std::cout << parsed.out;
  std::cerr << parsed.err;
  if (!parsed.invocation) return parsed.exit_code;
  const RpcVerb* verb = FindRpcVerb(parsed.invocation->verb);
  if (verb == nullptr) {
    std::fprintf(stderr, "xmppfed: %s: not a verb that talks to the agent\n",
                 parsed.invocation->verb.c_str());
    return kExitUsage;
  }
  try {
    VerbContext context(*parsed.invocation);
    return verb->run(context);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "xmppfed: %s: %s\n", parsed.invocation->verb.c_str(),
                 e.what());
    return kExitRefused;
  }
}
