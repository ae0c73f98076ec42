#include "cli/front/parse_invocation.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <sstream>
#include <utility>

#include "cli/front/cli_spec.h"
#include "cli/front/help_format.h"
#include "cli/front/suggest.h"
#include "cli/front/verb_options.h"

namespace xmppfed::cli {
namespace {

// Every group of verbs; one line per file of verb options.
using VerbGroup = void (*)(CLI::App&, Invocation&);
constexpr VerbGroup kVerbGroups[] = {
    AddPartnerVerbs, AddImportVerbs, AddGatewayVerbs, AddSessionVerbs,
    AddAuditVerbs,   AddAgentVerbs,  AddShellVerbs};

constexpr const char kGlobalFooter[] =
    "Global options (before or after the verb): --socket PATH, "
    "-o table|json|ndjson|csv, --what-if, --force, --confirm, --quiet.";

constexpr const char kMainFooter[] =
    "Global options may also follow the verb.\n"
    "Exit codes: 0 done, 1 refused (nothing changed), 2 usage error, "
    "3 not found,\n4 bulk run partly refused, 5 cancelled, 69 agent "
    "unreachable, 77 permission\ndenied.";

std::string VerbOf(CLI::App& app) {
  std::vector<CLI::App*> parsed = app.get_subcommands();
  return parsed.empty() ? std::string() : parsed.front()->get_name();
}

// The verb named `name` (hidden ones too), nullptr when there is none.
CLI::App* FindVerb(CLI::App& app, const std::string& name) {
  for (CLI::App* verb : app.get_subcommands([](CLI::App*) { return true; })) {
    if (verb->get_name() == name) return verb;
  }
  return nullptr;
}

// The verbs people type (hidden ones left out).
std::vector<std::string> VisibleVerbs(const CLI::App& app) {
  std::vector<std::string> verbs;
  for (const CLI::App* verb : app.get_subcommands({})) {
    if (!verb->get_group().empty()) verbs.push_back(verb->get_name());
  }
  return verbs;
}

// The long names of the options `app` takes (hidden old spellings left
// out: a suggestion names the current one).
std::vector<std::string> OptionNames(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_group().empty()) continue;
    for (const std::string& name : option->get_lnames()) {
      names.push_back("--" + name);
    }
  }
  return names;
}

// "did you mean" for the words CLI11 did not expect: an unknown option
// after a verb is compared with that verb's options and the global ones.
std::string SuggestForExtras(const CLI::App& app, const CLI::App* verb,
                             const std::vector<std::string>& extras) {
  for (const std::string& extra : extras) {
    if (extra.rfind("--", 0) != 0) continue;
    std::string name = extra.substr(0, extra.find('='));
    std::vector<std::string> names = OptionNames(app);
    if (verb != nullptr) {
      std::vector<std::string> own = OptionNames(*verb);
      names.insert(names.begin(), own.begin(), own.end());
    }
    std::string suggestion = DidYouMean(name, names);
    if (!suggestion.empty()) return suggestion;
  }
  return "";
}

// The words of CLI11's "The following argument(s) was/were not expected:
// A B".
std::vector<std::string> UnexpectedWords(const std::string& message) {
  std::vector<std::string> words;
  std::size_t colon = message.find(": ");
  if (colon == std::string::npos) return words;
  std::istringstream rest(message.substr(colon + 2));
  for (std::string word; rest >> word;) words.push_back(word);
  return words;
}

ParseResult UsageError(const std::string& verb, std::string message) {
  // CLI11's own messages do not name the verb; ours (ValidationError raised
  // by a verb's checks) already start with it.
  std::string prefix = verb.empty() || message.rfind(verb + ":", 0) == 0
                           ? std::string()
                           : verb + ": ";
  ParseResult result;
  result.exit_code = kExitUsage;
  result.err = "xmppfed: " + prefix + message + "\nRun 'xmppfed " +
               (verb.empty() ? "" : verb + " ") + "--help' for usage.\n";
  return result;
}

}  // namespace

ParseResult ParseInvocation(int argc, const char* const* argv,
                            const SocketEnvironment& env) {
  Invocation inv;
  std::string socket_flag;
  bool version_flag = false;

  CLI::App app(
      "Manage the partners and settings of xmppfed-agent, the XMPP "
      "federation edge.",
      "xmppfed");
  app.fallthrough();
  app.require_subcommand(0, 1);
  // Before the verbs are added: they take the formatter of their parent.
  app.formatter(std::make_shared<HelpFormatter>());
  AddGlobalOptions(app, inv, socket_flag);
  app.add_flag("--version", version_flag, "the same as the version verb");
  for (VerbGroup add : kVerbGroups) add(app, inv);
  for (CLI::App* verb : app.get_subcommands({})) {
    if (verb->get_group().empty()) continue;  // hidden
    verb->group("Verbs");
    std::string examples = verb->get_footer();
    verb->footer(examples.empty() ? kGlobalFooter
                                  : examples + "\n\n" + kGlobalFooter);
  }
  // After the verbs: a verb takes its parent's footer when added.
  app.footer(kMainFooter);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    std::ostringstream out, err;
    app.exit(e, out, err);
    return {std::nullopt, kExitOk, out.str(), err.str()};
  } catch (const CLI::CallForAllHelp& e) {
    std::ostringstream out, err;
    app.exit(e, out, err);
    return {std::nullopt, kExitOk, out.str(), err.str()};
  } catch (const CLI::ExtrasError& e) {
    std::string verb = VerbOf(app);
    std::vector<std::string> extras = UnexpectedWords(e.what());
    if (verb.empty()) {
      // Before any verb, a stray word is a mistyped verb.
      std::string suggestion = SuggestForExtras(app, nullptr, extras);
      for (const std::string& word : extras) {
        if (!suggestion.empty()) break;
        if (word.rfind("-", 0) != 0) {
          suggestion = DidYouMean(word, VisibleVerbs(app));
        }
      }
      return UsageError("", std::string(e.what()) + suggestion +
                                " (the verbs are listed by 'xmppfed help')");
    }
    return UsageError(verb,
                      std::string(e.what()) +
                          SuggestForExtras(app, FindVerb(app, verb), extras));
  } catch (const CLI::ParseError& e) {
    return UsageError(VerbOf(app), e.what());
  }

  inv.verb = VerbOf(app);
  if (inv.verb.empty()) {
    if (!version_flag) {
      return UsageError("",
                        "no verb given; try 'xmppfed get-partner' or "
                        "see the list under 'xmppfed --help'");
    }
    inv.verb = "version";
  }
  if (inv.global.force && inv.global.confirm) {
    return UsageError(inv.verb, "--force and --confirm contradict each other");
  }
  inv.global.socket_path = ResolveSocketPath(socket_flag, env);
  ParseResult result;
  if (inv.verb == "__cli-spec") {
    result.out = DescribeCommandLine(app);
    return result;
  }
  if (inv.verb == "help") {
    // The same text as --help, of the CLI or of one verb.
    if (inv.args.empty()) {
      // Not app.help(): with a verb parsed (help itself) it tells that one.
      result.out = app.get_formatter()->make_help(&app, "xmppfed",
                                                  CLI::AppFormatMode::Normal);
      return result;
    }
    const std::string& name = inv.args.front();
    CLI::App* verb = FindVerb(app, name);
    if (verb == nullptr || verb->get_group().empty()) {
      return UsageError("help", "'" + name + "' is not a verb" +
                                    DidYouMean(name, VisibleVerbs(app)) +
                                    "; 'xmppfed help' lists them");
    }
    result.out = verb->help("xmppfed");
    return result;
  }
  result.invocation = std::move(inv);
  return result;
}

ParseResult ParseInvocation(int argc, const char* const* argv) {
  return ParseInvocation(argc, argv, CurrentSocketEnvironment());
}

std::optional<Invocation> ParseCommandLine(int argc, const char* const* argv,
                                           int* exit_code) {
  ParseResult parsed = ParseInvocation(argc, argv);
  std::cout << parsed.out;
  std::cerr << parsed.err;
  *exit_code = parsed.exit_code;
  return std::move(parsed.invocation);
}

}  // namespace xmppfed::cli
