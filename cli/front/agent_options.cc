// Verbs about the agent and the CLI itself.
#include "cli/front/verb_options.h"

namespace xmppfed::cli {

void AddAgentVerbs(CLI::App& app, Invocation& inv) {
  app.add_subcommand("get-agent",
                     "Show the agent's version, uptime, store, local domains "
                     "and bound addresses.");
  app.add_subcommand("get-node",
                     "List the agents (nodes) sharing the agent's store.");
  app.add_subcommand("version", "Print the version of this CLI.");
}

}  // namespace xmppfed::cli
