// The command line described for machines: what the completion scripts, the
// man pages and their tests must cover. Printed by the hidden verb
// `xmppfed __cli-spec`, one tab-separated line per item:
//
//   global      -      NAMES  VALUE   an option every verb accepts
//   verb        VERB   -      -       a verb (hidden verbs are left out)
//   option      VERB   NAMES  VALUE   an option of that verb
//   positional  VERB   NAME   VALUE   a positional argument of that verb
//
// NAMES are the option's spellings separated by spaces ("-o --output");
// VALUE is its value's type name ("N", "PATH", "true|false",
// "Federated|PublicVerified|PublicUnverified"), empty for a flag. --help is
// left out: every verb has it.
#ifndef XMPPFED_CLI_FRONT_CLI_SPEC_H_
#define XMPPFED_CLI_FRONT_CLI_SPEC_H_

#include <CLI/CLI.hpp>
#include <string>

namespace xmppfed::cli {

std::string DescribeCommandLine(const CLI::App& app);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_FRONT_CLI_SPEC_H_
