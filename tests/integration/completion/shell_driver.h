// Running the completion scripts of completions/ in the real shells: each
// line is completed as if TAB were pressed at its end, in one shell process
// per batch of lines, and the candidates the shell would offer come back.
//
//   bash  sources completions/xmppfed.bash in `bash --norc --noprofile`,
//         sets COMP_WORDS/COMP_CWORD/COMP_LINE/COMP_POINT as readline would
//         and calls the function registered with `complete -F` for xmppfed.
//   zsh   runs completion_zsh.zsh: an interactive zsh on a pseudo-terminal
//         with compinit and the script as the autoloaded _xmppfed.
//   fish  `fish --no-config -c 'source SCRIPT; complete -C LINE'`.
//
// The shells find `xmppfed` (the binary under test) first in PATH, and run
// with HOME and the XDG directories in a private directory.
#ifndef XMPPFED_TESTS_INTEGRATION_COMPLETION_SHELL_DRIVER_H_
#define XMPPFED_TESTS_INTEGRATION_COMPLETION_SHELL_DRIVER_H_

#include <chrono>
#include <ostream>
#include <string>
#include <vector>

#include "tests/support/subprocess.h"

namespace xmppfed::testing {

enum class Shell { kBash, kZsh, kFish };

const char* ShellName(Shell shell);
std::ostream& operator<<(std::ostream& os, Shell shell);

// bash-completion's library, from the Debian package of that name.
inline constexpr char kBashCompletionLibrary[] =
    "/usr/share/bash-completion/bash_completion";

// The shell's executable found in PATH, or "" when it is not installed.
std::string ShellBinary(Shell shell);

// The source tree's completions/ file for the shell.
std::string CompletionScriptPath(Shell shell);
// completions/ itself, and the tests' own directory in the source tree.
std::string CompletionsSourceDir();
std::string CompletionTestsSourceDir();

struct CompletionOptions {
  // The shell's working directory (for file-name completion); "" keeps the
  // test's.
  std::string cwd;
  // zsh only: `source` the script after compinit (as `source <(xmppfed
  // completion zsh)` does) instead of autoloading it from fpath.
  bool zsh_source = false;
  // bash only: load bash-completion (kBashCompletionLibrary) first, as an
  // interactive bash on Debian does; the script then uses its _filedir.
  bool bash_completion = false;
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};
};

struct CompletionRun {
  // Per line, the candidates in the shell's order (fish's descriptions and
  // zsh's display strings left out).
  std::vector<std::vector<std::string>> candidates;
  // zsh: what the terminal showed besides the candidates (e.g. an error
  // printed during completion); empty for the other shells, whose stderr is
  // in `process.err`.
  std::string terminal;
  ProcessResult process;
  std::chrono::milliseconds elapsed{0};
  // True when the shell ran to its end and answered every line.
  bool ok = false;
};

// Everything about a run, for assertion messages.
std::ostream& operator<<(std::ostream& os, const CompletionRun& run);

// Completes each of `lines` (the cursor at its end) in one `shell` process.
CompletionRun CompleteLines(Shell shell, const std::vector<std::string>& lines,
                            const CompletionOptions& options = {});

// Readline's words for a line typed into bash: split at blanks, and "=" and
// ":" (in COMP_WORDBREAKS) as words of their own; a line ending in a blank
// ends with an empty word.
std::vector<std::string> BashWords(const std::string& line);

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_INTEGRATION_COMPLETION_SHELL_DRIVER_H_
