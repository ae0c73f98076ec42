// The live-session verbs' options (SPEC §5): get-session [--partner P],
// remove-session ID... | --partner P.
#include <charconv>
#include <cstdint>
#include <string>
#include <vector>

#include "cli/front/help_format.h"
#include "cli/front/option_values.h"
#include "cli/front/verb_options.h"

namespace xmppfed::cli {
namespace {

// A session id as get-session prints it: a whole number from 1 (no sign, no
// spaces); 0 is never a session's id.
CLI::Validator SessionId() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        std::uint64_t number = 0;
        const char* end = value.data() + value.size();
        auto [ptr, error] = std::from_chars(value.data(), end, number);
        if (value.empty() || error != std::errc() || ptr != end ||
            number == 0) {
          return "'" + value +
                 "' is not a session id (a whole number from 1, the Id "
                 "column of 'xmppfed get-session')";
        }
        return {};
      },
      "");
}

std::uint64_t ToSessionId(const std::string& canonical) {
  std::uint64_t number = 0;
  std::from_chars(canonical.data(), canonical.data() + canonical.size(),
                  number);
  return number;
}

void AddPartnerOption(CLI::App& verb, Invocation& inv,
                      const std::string& help) {
  verb.add_option("--partner", inv.session.partner, help)
      ->check(NonEmpty("an empty IDENTITY names no partner (without --partner "
                       "every stream is meant)"))
      ->check(Utf8Text())
      ->type_name("IDENTITY");
}

}  // namespace

void AddSessionVerbs(CLI::App& app, Invocation& inv) {
  CLI::App* get = app.add_subcommand(
      "get-session",
      "List the live S2S streams of the federation edge: all, or those of "
      "one partner.");
  AddPartnerOption(*get, inv,
                   "only the streams of the partner with this "
                   "identity");
  SetExamples(*get, {"xmppfed get-session",
                     "xmppfed get-session --partner fabrikam.com -o wide"});

  CLI::App* status = app.add_subcommand(
      "get-partner-status",
      "Show what the federation edge saw of each partner since the agent "
      "started: last stream each way, last failure (step, reason), failures "
      "in a row, live streams; most trouble first.");
  AddPartnerOption(*status, inv, "only the partner with this identity");
  SetExamples(*status, {"xmppfed get-partner-status",
                        "xmppfed get-partner-status --partner fabrikam.com "
                        "-o json"});

  CLI::App* remove = app.add_subcommand(
      "remove-session",
      "Close live streams (asks for confirmation on a terminal unless "
      "--force).");
  remove
      ->add_option_function<std::vector<std::string>>(
          "id",
          [&inv](const std::vector<std::string>& values) {
            for (const std::string& value : values) {
              inv.session.ids.push_back(ToSessionId(value));
            }
          },
          "the Id of each stream to close (see get-session)")
      ->check(SessionId())
      ->type_name("ID");
  AddPartnerOption(*remove, inv,
                   "close every stream of the partner with this identity");
  SetExamples(*remove, {"xmppfed remove-session 12 --force",
                        "xmppfed remove-session --partner fabrikam.com"});
  remove->callback([&inv] {
    if (inv.session.ids.empty() == inv.session.partner.empty()) {
      throw CLI::ValidationError(
          "remove-session",
          "give the ID of each session to close, or --partner IDENTITY (one "
          "of the two)");
    }
  });
}

}  // namespace xmppfed::cli
