// xmppfed: parses the command line, answers the verbs that need no agent,
// and hands the others to xmppfed-rpc. Links no gRPC or protobuf.
#include <iostream>
#include <optional>

#include "cli/front/front_verbs.h"
#include "cli/front/parse_invocation.h"
#include "cli/front/rpc_launcher.h"

int main(int argc, char** argv) {
  using namespace xmppfed::cli;
  ParseResult parsed = ParseInvocation(argc, argv);
  std::cout << parsed.out;
  std::cerr << parsed.err;
  if (!parsed.invocation) return parsed.exit_code;
  if (std::optional<int> code = RunFrontVerb(*parsed.invocation, std::cout)) {
    return *code;
  }
  std::cout.flush();
  return ExecRpc(argv);
}
