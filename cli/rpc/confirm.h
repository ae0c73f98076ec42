// Confirmation before a change (SPEC §5): asked on stderr, answered on
// stdin, and never asked when stdin is not a terminal. A verb whose stdin
// holds its targets (pipeline input) asks on the controlling terminal
// instead, and never when there is none.
#ifndef XMPPFED_CLI_RPC_CONFIRM_H_
#define XMPPFED_CLI_RPC_CONFIRM_H_

#include <fstream>
#include <istream>
#include <ostream>
#include <string_view>

#include "cli/invocation.h"

namespace xmppfed::cli {

enum class Confirmation {
  kProceed,
  // Answered anything but y/yes (or end of input).
  kDeclined,
  // A prompt was needed but stdin is no terminal: the caller says to pass
  // --force.
  kNoTerminal,
};

// Where the prompt goes and its answer comes from.
struct PromptIo {
  bool stdin_is_terminal;
  std::istream& in;
  std::ostream& err;
};

// The real stdin/stderr.
PromptIo ProcessPromptIo();

// The process's controlling terminal (/dev/tty) as both ends of a prompt.
class TerminalPrompt {
 public:
  TerminalPrompt();
  // stdin_is_terminal is false when the process has no terminal.
  PromptIo io() { return PromptIo{open_, tty_, tty_}; }

 private:
  std::fstream tty_;
  bool open_ = false;
};

// Whether a change may go ahead. No prompt with --what-if (nothing is
// written) or --force; otherwise a prompt when the verb asks by default
// (`asks_by_default`, e.g. remove-partner) or --confirm was given. The
// prompt is `question` followed by " [y/N] ".
Confirmation Confirm(const GlobalOptions& global, bool asks_by_default,
                     std::string_view question, const PromptIo& io);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_RPC_CONFIRM_H_
