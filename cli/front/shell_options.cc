// Verbs for the shell itself: completion scripts and the hidden queries
// behind them.
#include <array>
#include <string>
#include <string_view>

#include "cli/front/help_format.h"
#include "cli/front/option_values.h"
#include "cli/front/verb_options.h"

namespace xmppfed::cli {
namespace {

constexpr std::array<std::string_view, 3> kShellNames = {"bash", "zsh", "fish"};

}  // namespace

void AddShellVerbs(CLI::App& app, Invocation& inv) {
  CLI::App* completion = app.add_subcommand(
      "completion", "Print the tab-completion script for a shell.");
  completion
      ->add_option_function<std::string>(
          "shell", [&inv](const std::string& v) { inv.args.assign(1, v); },
          "the shell to complete in")
      ->required()
      ->transform(OneOf(kShellNames))
      ->type_name(Alternatives(kShellNames));
  SetExamples(*completion, {"source <(xmppfed completion bash)",
                            "xmppfed completion fish > "
                            "~/.config/fish/completions/xmppfed.fish"});

  // Hidden (empty group): called by the completion scripts, not by people.
  CLI::App* identities = app.add_subcommand(
      "__complete-identities",
      "Print the identities of the partners starting with PREFIX, one per "
      "line; print nothing when the agent does not answer at once.");
  identities->group("");
  identities
      ->add_option_function<std::string>(
          "prefix", [&inv](const std::string& v) { inv.args.assign(1, v); },
          "the text typed so far")
      ->type_name("PREFIX");

  CLI::App* spec = app.add_subcommand(
      "__cli-spec", "Print every verb and option, one per line.");
  spec->group("");
}

}  // namespace xmppfed::cli
