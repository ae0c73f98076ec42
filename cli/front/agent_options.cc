// Verbs about the agent and the CLI itself.
#include "cli/front/help_format.h"
#include "cli/front/verb_options.h"

namespace xmppfed::cli {

void AddAgentVerbs(CLI::App& app, Invocation& inv) {
  CLI::App* agent = app.add_subcommand(
      "get-agent",
      "Show the agent's version, uptime, store, local domains and bound "
      "addresses.");
  SetExamples(*agent, {"xmppfed get-agent",
                       "xmppfed get-agent -o json | jq .listeners"});

  CLI::App* node = app.add_subcommand(
      "get-node", "List the agents (nodes) sharing the agent's store.");
  SetExamples(*node, {"xmppfed get-node", "xmppfed get-node -o json"});

  CLI::App* version =
      app.add_subcommand("version", "Print the version of this CLI.");
  SetExamples(*version, {"xmppfed version", "xmppfed version -o json"});

  CLI::App* help = app.add_subcommand(
      "help", "Show the verbs and global options, or one verb's help.");
  help->add_option_function<std::string>(
          "verb", [&inv](const std::string& v) { inv.args.assign(1, v); },
          "the verb to explain")
      ->type_name("VERB");
  SetExamples(*help, {"xmppfed help", "xmppfed help import-partners"});
}

}  // namespace xmppfed::cli
