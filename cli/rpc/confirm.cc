#include "cli/rpc/confirm.h"

#include <unistd.h>

#include <iostream>
#include <string>

namespace xmppfed::cli {

PromptIo ProcessPromptIo() {
  return PromptIo{::isatty(STDIN_FILENO) == 1, std::cin, std::cerr};
}

TerminalPrompt::TerminalPrompt() {
  tty_.open("/dev/tty", std::ios::in | std::ios::out);
  open_ = tty_.is_open();
}

Confirmation Confirm(const GlobalOptions& global, bool asks_by_default,
                     std::string_view question, const PromptIo& io) {
  if (global.what_if || global.force) return Confirmation::kProceed;
  if (!asks_by_default && !global.confirm) return Confirmation::kProceed;
  if (!io.stdin_is_terminal) return Confirmation::kNoTerminal;
  io.err << question << " [y/N] " << std::flush;
  std::string answer;
  if (!std::getline(io.in, answer)) {
    io.err << '\n';
    return Confirmation::kDeclined;
  }
  while (!answer.empty() && (answer.back() == ' ' || answer.back() == '\r')) {
    answer.pop_back();
  }
  for (char& c : answer) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return answer == "y" || answer == "yes" ? Confirmation::kProceed
                                          : Confirmation::kDeclined;
}

}  // namespace xmppfed::cli
