#include "tests/integration/completion/shell_driver.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "tests/support/cli.h"
#include "tests/support/temp_dir.h"

#if !defined(XMPPFED_COMPLETIONS_DIR) || !defined(XMPPFED_COMPLETION_TESTS_DIR)
#error "the build defines the source directories of the scripts and tests"
#endif

namespace xmppfed::testing {
namespace {

constexpr char kEnd[] = "--end--";
constexpr char kDone[] = "--done--";
constexpr char kTerminal[] = "<<tty>>";

// 'text' for bash and zsh.
std::string PosixQuote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// 'text' for fish, where \ and ' are escaped inside single quotes.
std::string FishQuote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string BashProgram(const std::vector<std::string>& lines,
                        const CompletionOptions& options) {
  std::ostringstream p;
  if (!options.cwd.empty()) {
    p << "cd " << PosixQuote(options.cwd) << " || exit 3\n";
  }
  if (options.bash_completion) {
    p << "source " << PosixQuote(kBashCompletionLibrary) << " || exit 3\n";
  }
  p << "source " << PosixQuote(CompletionScriptPath(Shell::kBash))
    << " || exit 3\n"
    // The function the script registered, as bash itself would find it.
    << "spec=$(complete -p xmppfed) || exit 3\n"
    << "[[ $spec =~ -F\\ ([^ ]+) ]] || exit 3\n"
    << "fn=${BASH_REMATCH[1]}\n";
  for (const std::string& line : lines) {
    std::vector<std::string> words = BashWords(line);
    p << "COMP_WORDS=(";
    for (const std::string& word : words) p << PosixQuote(word) << ' ';
    p << ")\nCOMP_CWORD=" << words.size() - 1 << '\n'
      << "COMP_LINE=" << PosixQuote(line) << '\n'
      << "COMP_POINT=${#COMP_LINE} COMP_TYPE=9 COMP_KEY=9\n"
      << "COMPREPLY=()\n"
      << "\"$fn\" xmppfed \"${COMP_WORDS[COMP_CWORD]}\" "
         "\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
      << "for r in \"${COMPREPLY[@]}\"; do printf '%s\\n' \"$r\"; done\n"
      << "echo " << kEnd << '\n';
  }
  p << "echo " << kDone << '\n';
  return p.str();
}

std::string FishProgram(const std::vector<std::string>& lines,
                        const std::string& cwd) {
  std::ostringstream p;
  if (!cwd.empty()) p << "cd " << FishQuote(cwd) << "; or exit 3\n";
  p << "source " << FishQuote(CompletionScriptPath(Shell::kFish))
    << "; or exit 3\n";
  for (const std::string& line : lines) {
    p << "complete -C " << FishQuote(line) << "\n"
      << "printf '%s\\n' " << kEnd << '\n';
  }
  p << "printf '%s\\n' " << kDone << '\n';
  return p.str();
}

std::string DirName(const std::string& path) {
  return std::filesystem::path(path).parent_path().string();
}

}  // namespace

const char* ShellName(Shell shell) {
  switch (shell) {
    case Shell::kBash:
      return "bash";
    case Shell::kZsh:
      return "zsh";
    case Shell::kFish:
      return "fish";
  }
  return "?";
}

std::ostream& operator<<(std::ostream& os, Shell shell) {
  return os << ShellName(shell);
}

std::string ShellBinary(Shell shell) {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    std::string candidate = dir + "/" + ShellName(shell);
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

std::string CompletionsSourceDir() { return XMPPFED_COMPLETIONS_DIR; }
std::string CompletionTestsSourceDir() { return XMPPFED_COMPLETION_TESTS_DIR; }

std::string CompletionScriptPath(Shell shell) {
  switch (shell) {
    case Shell::kBash:
      return CompletionsSourceDir() + "/xmppfed.bash";
    case Shell::kZsh:
      return CompletionsSourceDir() + "/_xmppfed";
    case Shell::kFish:
      return CompletionsSourceDir() + "/xmppfed.fish";
  }
  return "";
}

std::vector<std::string> BashWords(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  auto finish = [&] {
    if (in_word) words.push_back(word);
    word.clear();
    in_word = false;
  };
  for (char c : line) {
    if (c == ' ' || c == '\t') {
      finish();
    } else if (c == '=' || c == ':') {
      // A break character is a word of its own; a run of them is one word.
      if (in_word && word.find_first_not_of("=:") != std::string::npos) {
        finish();
      }
      word += c;
      in_word = true;
    } else {
      if (in_word && word.find_first_not_of("=:") == std::string::npos) {
        finish();
      }
      word += c;
      in_word = true;
    }
  }
  bool ends_in_blank =
      !line.empty() && (line.back() == ' ' || line.back() == '\t');
  finish();
  if (ends_in_blank || words.empty()) words.push_back("");
  return words;
}

std::ostream& operator<<(std::ostream& os, const CompletionRun& run) {
  os << "\n-> " << run.process.status << " in " << run.elapsed.count()
     << " ms\n--- candidates ---\n";
  for (std::size_t i = 0; i < run.candidates.size(); ++i) {
    os << '[' << i << ']';
    for (const std::string& c : run.candidates[i]) os << " '" << c << "'";
    os << '\n';
  }
  os << "--- stdout ---\n"
     << run.process.out << "\n--- stderr ---\n"
     << run.process.err << run.process.spawn_error << "\n--------------";
  return os;
}

CompletionRun CompleteLines(Shell shell, const std::vector<std::string>& lines,
                            const CompletionOptions& options) {
  CompletionRun run;
  TempDir home("sh");
  RunOptions run_options;
  const char* path = std::getenv("PATH");
  run_options.env = {
      {"PATH", DirName(CliBinary()) + ":" + (path ? path : "/usr/bin:/bin")},
      {"HOME", home.path()},
      {"XDG_CONFIG_HOME", home.File("config")},
      {"XDG_DATA_HOME", home.File("data")},
      {"XDG_CACHE_HOME", home.File("cache")},
      // The CLI's default socket lives here: never a real agent's.
      {"XDG_RUNTIME_DIR", home.File("run")},
      {"TERM", "xterm"},
  };
  run_options.unset_env = {"XMPPFED_SOCKET", "BASH_ENV", "ENV", "ZDOTDIR"};
  run_options.timeout = options.timeout;

  std::string binary = ShellBinary(shell);
  std::vector<std::string> args;
  switch (shell) {
    case Shell::kBash:
      args = {"--norc", "--noprofile", "-c", BashProgram(lines, options)};
      break;
    case Shell::kFish:
      args = {"--no-config", "--private", "-c",
              FishProgram(lines, options.cwd)};
      break;
    case Shell::kZsh:
      args = {"-f", CompletionTestsSourceDir() + "/zsh_complete.zsh",
              options.zsh_source ? "source" : "autoload",
              CompletionScriptPath(Shell::kZsh),
              options.cwd.empty() ? "." : options.cwd};
      args.insert(args.end(), lines.begin(), lines.end());
      break;
  }
  auto start = std::chrono::steady_clock::now();
  run.process = RunProcess(binary, args, run_options);
  run.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);

  std::istringstream out(run.process.out);
  std::string line;
  std::vector<std::string> current;
  bool done = false;
  while (std::getline(out, line)) {
    if (line == kDone) {
      done = true;
    } else if (line == kEnd) {
      run.candidates.push_back(std::move(current));
      current.clear();
    } else if (line.rfind(kTerminal, 0) == 0) {
      run.terminal += line.substr(sizeof kTerminal - 1) + "\n";
    } else {
      // fish: "candidate<TAB>description".
      current.push_back(line.substr(0, line.find('\t')));
    }
  }
  run.ok = done && run.process.status.exited && run.process.status.code == 0 &&
           run.candidates.size() == lines.size();
  return run;
}

}  // namespace xmppfed::testing
