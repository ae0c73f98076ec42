// The completion scripts against the command line itself: every verb,
// option name and enum value that `xmppfed __cli-spec` lists must be
// offered by each shell's script (so a verb or option added without its
// completion turns this red, naming what is missing); the `completion` verb
// prints the files of completions/ byte for byte; the scripts parse; and
// `cmake --install` puts them where the shells look.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/integration/completion/cli_spec_reader.h"
#include "tests/integration/completion/shell_driver.h"
#include "tests/support/cli.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

#if !defined(XMPPFED_COMPLETIONS_INSTALL_SCRIPT) || \
    !defined(XMPPFED_CMAKE_COMMAND) || !defined(XMPPFED_INSTALL_DATADIR)
#error "the build defines the install script, cmake and the data directory"
#endif

namespace xmppfed::testing {
namespace {

// A file the file-name checks expect to be offered.
constexpr char kProbeFile[] = "probe-file.csv";

CliSpec ReadSpec() {
  CliResult result = RunCliRaw({"__cli-spec"});
  EXPECT_EQ(result.exit_code, 0) << result;
  CliSpec spec;
  std::string error;
  EXPECT_TRUE(ParseCliSpec(result.out, &spec, &error)) << error;
  return spec;
}

// One completion the script must get right: after `line`, every one of
// `expected` is offered; otherwise each missing one is reported as `what`.
struct Check {
  std::string line;
  std::vector<std::string> expected;
  std::string what;
};

// The checks that follow from the command line's description.
std::vector<Check> ChecksFor(const CliSpec& spec) {
  std::vector<Check> checks;
  checks.push_back({"xmppfed ", spec.verbs, "verb"});

  std::vector<std::string> globals_before, globals_after;
  for (const SpecItem& item : spec.items) {
    if (item.kind != "global") continue;
    for (const std::string& name : item.names) {
      globals_before.push_back(name);
      // --version replaces a verb; after one it means nothing.
      if (name != "--version") globals_after.push_back(name);
    }
  }
  checks.push_back({"xmppfed -", globals_before, "global option"});

  for (const std::string& verb : spec.verbs) {
    std::vector<std::string> options = globals_after;
    for (const SpecItem& item : spec.items) {
      if (item.kind == "option" && item.verb == verb) {
        options.insert(options.end(), item.names.begin(), item.names.end());
      }
    }
    checks.push_back({"xmppfed " + verb + " -", options, "option of " + verb});
  }

  for (const SpecItem& item : spec.items) {
    // Where the item's value is typed: a global option before the verb and
    // after the first verb; anything else after its own verb.
    std::vector<std::string> prefixes;
    std::string subject;
    if (item.kind == "global") {
      prefixes = {"xmppfed ", "xmppfed " + spec.verbs.front() + " "};
      subject = "value of global ";
    } else {
      prefixes = {"xmppfed " + item.verb + " "};
      subject = "value of " + item.verb + " ";
    }
    std::vector<std::string> typed;  // what stands before the value
    if (item.kind == "positional") {
      typed.push_back("");
    } else {
      for (const std::string& name : item.names) typed.push_back(name + " ");
    }
    for (const std::string& prefix : prefixes) {
      for (const std::string& before : typed) {
        std::string what =
            subject + (before.empty() ? item.names[0]
                                      : before.substr(0, before.size() - 1));
        if (std::vector<std::string> literals = item.Literals();
            !literals.empty()) {
          checks.push_back({prefix + before, literals, what});
        }
        if (item.TakesFile()) {
          checks.push_back({prefix + before + "probe-",
                            {kProbeFile},
                            "file name as " + what});
        }
      }
    }
  }
  return checks;
}

class CompletionCoverageTest : public ::testing::TestWithParam<Shell> {};

TEST_P(CompletionCoverageTest, OffersEveryVerbOptionAndValueOfTheCli) {
  if (ShellBinary(GetParam()).empty()) {
    GTEST_SKIP() << GetParam() << " is not installed";
  }
  CliSpec spec = ReadSpec();
  ASSERT_FALSE(spec.verbs.empty());
  std::vector<Check> checks = ChecksFor(spec);
  std::vector<std::string> lines;
  for (const Check& check : checks) lines.push_back(check.line);

  TempDir dir("coverage");
  dir.WriteFile(kProbeFile, "");
  CompletionOptions options;
  options.cwd = dir.path();
  CompletionRun run = CompleteLines(GetParam(), lines, options);
  ASSERT_TRUE(run.ok) << run;

  std::string missing;
  for (std::size_t i = 0; i < checks.size(); ++i) {
    const std::vector<std::string>& offered = run.candidates[i];
    for (const std::string& expected : checks[i].expected) {
      if (std::find(offered.begin(), offered.end(), expected) ==
          offered.end()) {
        missing += "\n  " + checks[i].what + ": " + expected +
                   " (not offered after '" + checks[i].line + "')";
      }
    }
  }
  if (!missing.empty()) {
    ADD_FAILURE() << "the " << GetParam()
                  << " completion script (completions/) does not complete:"
                  << missing;
  }
}

INSTANTIATE_TEST_SUITE_P(Shells, CompletionCoverageTest,
                         ::testing::Values(Shell::kBash, Shell::kZsh,
                                           Shell::kFish),
                         [](const ::testing::TestParamInfo<Shell>& info) {
                           return std::string(ShellName(info.param));
                         });

// The checks themselves: they must demand what the description lists, or
// the coverage test above could pass by checking nothing.
TEST(CompletionCoverageChecksTest, DemandEveryVerbOptionAndValue) {
  CliSpec spec;
  std::string error;
  ASSERT_TRUE(
      ParseCliSpec("global\t-\t-o --output\ttable|json\n"
                   "global\t-\t--version\t\n"
                   "verb\tnew-verb\t-\t-\n"
                   "option\tnew-verb\t--mode\tFast|Slow\n"
                   "option\tnew-verb\t--input\tFILE|-\n"
                   "positional\tnew-verb\tcount\tN\n",
                   &spec, &error))
      << error;
  std::vector<Check> checks = ChecksFor(spec);
  auto find = [&](const std::string& line) -> const Check* {
    for (const Check& check : checks) {
      if (check.line == line) return &check;
    }
    return nullptr;
  };
  ASSERT_NE(find("xmppfed "), nullptr);
  EXPECT_THAT(find("xmppfed ")->expected, ::testing::ElementsAre("new-verb"));
  ASSERT_NE(find("xmppfed -"), nullptr);
  EXPECT_THAT(find("xmppfed -")->expected,
              ::testing::ElementsAre("-o", "--output", "--version"));
  ASSERT_NE(find("xmppfed new-verb -"), nullptr);
  EXPECT_THAT(find("xmppfed new-verb -")->expected,
              ::testing::ElementsAre("-o", "--output", "--mode", "--input"));
  ASSERT_NE(find("xmppfed new-verb --mode "), nullptr);
  EXPECT_THAT(find("xmppfed new-verb --mode ")->expected,
              ::testing::ElementsAre("Fast", "Slow"));
  ASSERT_NE(find("xmppfed new-verb -o "), nullptr);
  ASSERT_NE(find("xmppfed --output "), nullptr);
  ASSERT_NE(find("xmppfed new-verb --input probe-"), nullptr);
  EXPECT_EQ(find("xmppfed new-verb "), nullptr);  // N: nothing to offer
}

TEST(CompletionVerbTest, PrintsTheScriptsOfCompletionsByteForByte) {
  for (Shell shell : {Shell::kBash, Shell::kZsh, Shell::kFish}) {
    std::string file = ReadFileOrEmpty(CompletionScriptPath(shell));
    ASSERT_FALSE(file.empty()) << CompletionScriptPath(shell);
    CliResult result = RunCliRaw({"completion", ShellName(shell)});
    EXPECT_EQ(result.exit_code, 0) << result;
    EXPECT_EQ(result.err, "") << result;
    EXPECT_TRUE(result.out == file)
        << "xmppfed completion " << shell << " differs from "
        << CompletionScriptPath(shell) << result;
  }
  // Any case names the shell; the output is the same.
  CliResult upper = RunCliRaw({"completion", "FISH"});
  EXPECT_EQ(upper.exit_code, 0) << upper;
  EXPECT_TRUE(upper.out == ReadFileOrEmpty(CompletionScriptPath(Shell::kFish)));
}

TEST(CompletionVerbTest, RefusesAnUnknownShell) {
  CliResult result = RunCliRaw({"completion", "tcsh"});
  EXPECT_EQ(result.exit_code, 2) << result;
  EXPECT_EQ(result.out, "") << result;
  EXPECT_THAT(result.err, ::testing::HasSubstr("bash")) << result;
}

TEST(CompletionScriptsTest, ParseInTheirShells) {
  struct Syntax {
    Shell shell;
    std::vector<std::string> args;
  };
  for (const Syntax& syntax :
       {Syntax{Shell::kBash, {"--norc", "--noprofile", "-n"}},
        Syntax{Shell::kZsh, {"-f", "-n"}},
        Syntax{Shell::kFish, {"--no-config", "--no-execute"}}}) {
    std::string binary = ShellBinary(syntax.shell);
    if (binary.empty()) continue;  // the functional tests report the skip
    std::vector<std::string> args = syntax.args;
    args.push_back(CompletionScriptPath(syntax.shell));
    ProcessResult result = RunProcess(binary, args);
    EXPECT_TRUE(result.status.exited && result.status.code == 0 &&
                result.err.empty())
        << syntax.shell << ": " << result.status << "\n"
        << result.err;
  }
}

TEST(CompletionInstallTest, PutsTheScriptsWhereTheShellsLook) {
  TempDir prefix("install");
  ProcessResult result = RunProcess(
      XMPPFED_CMAKE_COMMAND, {"-DCMAKE_INSTALL_PREFIX=" + prefix.path(), "-P",
                              XMPPFED_COMPLETIONS_INSTALL_SCRIPT});
  ASSERT_TRUE(result.status.exited && result.status.code == 0)
      << result.status << "\n"
      << result.out << result.err;
  const std::string share = prefix.path() + "/" + XMPPFED_INSTALL_DATADIR;
  struct Placed {
    Shell shell;
    std::string path;
  };
  for (const Placed& placed :
       {Placed{Shell::kBash, share + "/bash-completion/completions/xmppfed"},
        Placed{Shell::kZsh, share + "/zsh/vendor-completions/_xmppfed"},
        Placed{Shell::kFish,
               share + "/fish/vendor_completions.d/xmppfed.fish"}}) {
    EXPECT_TRUE(std::filesystem::is_regular_file(placed.path)) << placed.path;
    EXPECT_TRUE(ReadFileOrEmpty(placed.path) ==
                ReadFileOrEmpty(CompletionScriptPath(placed.shell)))
        << placed.path << " is not " << CompletionScriptPath(placed.shell);
  }
}

}  // namespace
}  // namespace xmppfed::testing
