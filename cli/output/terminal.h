// What the table form needs to know of the terminal it prints to.
#ifndef XMPPFED_CLI_OUTPUT_TERMINAL_H_
#define XMPPFED_CLI_OUTPUT_TERMINAL_H_

#include <cstddef>

namespace xmppfed::cli {

// The width in characters of the terminal `fd` writes to: $COLUMNS when it
// is a number, else what the terminal says, else 80; 0 when `fd` is not a
// terminal (a pipe or a file takes lines whole).
std::size_t TerminalWidth(int fd);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_OUTPUT_TERMINAL_H_
