#include "cli/front/parse_invocation.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <sstream>
#include <utility>

#include "cli/front/cli_spec.h"
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
  app.get_formatter()->label("SUBCOMMAND", "VERB");
  app.footer(kMainFooter);
  AddGlobalOptions(app, inv, socket_flag);
  app.add_flag("--version", version_flag, "the same as the version verb");
  for (VerbGroup add : kVerbGroups) add(app, inv);
  for (CLI::App* verb : app.get_subcommands({})) {
    if (verb->get_group().empty()) continue;  // hidden
    verb->group("Verbs");
    verb->footer(kGlobalFooter);
  }

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
    if (verb.empty()) {
      // Before any verb, a stray word is a mistyped verb.
      return UsageError("", std::string(e.what()) +
                                " (not a verb; the verbs are listed under "
                                "'xmppfed --help')");
    }
    return UsageError(verb, e.what());
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
