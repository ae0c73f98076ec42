// The options every verb accepts, before or after it (SPEC §5).
#include <string>

#include "cli/front/option_values.h"
#include "cli/front/verb_options.h"

namespace xmppfed::cli {

void AddGlobalOptions(CLI::App& app, Invocation& inv,
                      std::string& socket_flag) {
  GlobalOptions& global = inv.global;
  app.add_option("--socket", socket_flag,
                 "the agent's API socket (else $XMPPFED_SOCKET, else the "
                 "default location)")
      ->type_name("PATH");
  app.add_option_function<std::string>(
         "-o,--output",
         [&global](const std::string& v) {
           global.output = *ParseOutputFormat(v);
         },
         "how to print data on stdout (default table)")
      ->transform(OneOf(kOutputFormatNames))
      ->type_name(Alternatives(kOutputFormatNames));
  app.add_flag("--what-if", global.what_if,
               "let the agent validate and report the change; write nothing");
  app.add_flag("--force", global.force, "do not ask for confirmation");
  app.add_flag("--confirm", global.confirm,
               "ask before any change (on a terminal; otherwise fail)");
  app.add_flag("--quiet", global.quiet,
               "no warnings or notes on stderr (errors still print)");
}

}  // namespace xmppfed::cli
