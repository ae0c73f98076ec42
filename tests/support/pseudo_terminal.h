// A pseudo-terminal standing for the operator's terminal: a program gets its
// other end as its controlling terminal (RunOptions::controlling_terminal),
// and the test reads what the program showed there and types answers.
#ifndef XMPPFED_TESTS_SUPPORT_PSEUDO_TERMINAL_H_
#define XMPPFED_TESTS_SUPPORT_PSEUDO_TERMINAL_H_

#include <chrono>
#include <string>

namespace xmppfed::testing {

class PseudoTerminal {
 public:
  // Opens a new pseudo-terminal; see error() when it could not.
  PseudoTerminal();
  ~PseudoTerminal();
  PseudoTerminal(const PseudoTerminal&) = delete;
  PseudoTerminal& operator=(const PseudoTerminal&) = delete;

  const std::string& error() const { return error_; }
  // The device a program opens as its terminal, e.g. /dev/pts/3.
  const std::string& device() const { return device_; }

  // Waits until the program has shown `text` on the terminal; false after
  // `timeout`.
  bool WaitFor(const std::string& text, std::chrono::milliseconds timeout);
  // Types `text` as if at the keyboard.
  bool Type(const std::string& text);
  // Everything shown so far (with the terminal's echo of what was typed).
  const std::string& shown() const { return shown_; }

 private:
  int master_ = -1;
  std::string device_;
  std::string error_;
  std::string shown_;
};

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_SUPPORT_PSEUDO_TERMINAL_H_
