// The verbs' command-line definitions, one file per group of verbs. Each
// Add*Verbs adds its CLI11 subcommands to `app`, storing what it parses into
// `invocation`, and checks the combination of options in the subcommand's
// callback (throwing CLI::ValidationError, a usage error).
//
// Adding a verb: define it in its group's file (or a new file registered in
// kVerbGroups in parse_invocation.cc) with its Examples (SetExamples in
// help_format.h; a test checks every verb has some) and implement it in
// xmppfed-rpc's verb table (cli/rpc/verb_table.cc) or, when it needs no
// agent, in front_verbs.cc. `help` and "did you mean" find it on their own.
#ifndef XMPPFED_CLI_FRONT_VERB_OPTIONS_H_
#define XMPPFED_CLI_FRONT_VERB_OPTIONS_H_

#include <CLI/CLI.hpp>

#include "cli/invocation.h"

namespace xmppfed::cli {

// new-partner, set-partner, get-partner, remove-partner, test-partner.
void AddPartnerVerbs(CLI::App& app, Invocation& invocation);
// get-gateway-config, set-gateway-config.
void AddGatewayVerbs(CLI::App& app, Invocation& invocation);
// get-agent, version, help [VERB].
void AddAgentVerbs(CLI::App& app, Invocation& invocation);
// import-partners.
void AddImportVerbs(CLI::App& app, Invocation& invocation);
// get-session, remove-session.
void AddSessionVerbs(CLI::App& app, Invocation& invocation);
// get-audit-log.
void AddAuditVerbs(CLI::App& app, Invocation& invocation);
// completion, and the hidden verbs the completion scripts and the tests
// call: __complete-identities PREFIX (partner identities from the agent) and
// __cli-spec (the command line's verbs and options, one per line).
void AddShellVerbs(CLI::App& app, Invocation& invocation);

// --what-if, --force, --confirm, --quiet, --socket, -o: on the main app, so
// (with fallthrough) they are accepted before and after the verb.
// `socket_flag` receives --socket when given.
void AddGlobalOptions(CLI::App& app, Invocation& invocation,
                      std::string& socket_flag);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_FRONT_VERB_OPTIONS_H_
