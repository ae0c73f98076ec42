// get-audit-log (SPEC §7): the audit log, newest first, with filters.
#include <string>

#include "cli/front/help_format.h"
#include "cli/front/option_values.h"
#include "cli/front/verb_options.h"

namespace xmppfed::cli {

void AddAuditVerbs(CLI::App& app, Invocation& inv) {
  CLI::App* get = app.add_subcommand(
      "get-audit-log",
      "List the audit log, newest first: who changed what, and who tried.");
  AuditLogOptions& options = inv.audit_log;
  get->add_option("--since", options.since,
                  "entries from this time on: 2026-05-01, "
                  "2026-05-01T08:00:00Z, or a duration back from now (30m, "
                  "12h, 7d, 2w)")
      ->type_name("TIME|DURATION");
  get->add_option("--until", options.until,
                  "entries up to this time (same forms as --since)")
      ->type_name("TIME|DURATION");
  get->add_option("--identity", options.identity,
                  "entries that touched the partner with this identity")
      ->type_name("IDENTITY");
  get->add_option("--caller", options.caller,
                  "entries of this caller: a user name or a uid")
      ->type_name("USER");
  get->add_option("--verb", options.verb,
                  "entries of this verb, e.g. "
                  "set-partner")
      ->type_name("VERB");
  get->add_option("--result", options.result,
                  "entries with this result: ok, refused or denied")
      ->transform(CLI::IsMember({"ok", "refused", "denied"}, CLI::ignore_case))
      ->type_name("ok|refused|denied");
  SetExamples(*get, {"xmppfed get-audit-log --since 7d",
                     "xmppfed get-audit-log --identity fabrikam.com -o json",
                     "xmppfed get-audit-log --result denied --since 24h"});
}

}  // namespace xmppfed::cli
