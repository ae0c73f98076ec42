// xmppfed: parses the command line, answers the verbs that need no agent,
// and hands the others to xmppfed-rpc. Links no gRPC or protobuf.
#include <iostream>
#include <optional>

#include "cli/front/front_verbs.h"
#include "cli/front/parse_invocation.h"
#include "cli/front/rpc_launcher.h"

int main(int argc, char** argv) {
  using namespace xmppfed::cli;
  int exit_code = kExitOk;
  std::optional<Invocation> invocation =
      ParseCommandLine(argc, argv, &exit_code);
  if (!invocation) return exit_code;
  if (std::optional<int> code = RunFrontVerb(*invocation, std::cout)) {
    return *code;
  }
  std::cout.flush();
  return ExecRpc(argv);
}
