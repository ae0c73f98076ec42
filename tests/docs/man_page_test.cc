// The man pages: clean under `mandoc -T lint`, and complete against the real
// command lines (`xmppfed __cli-spec`, `xmppfed-agent --help`) and the exit
// codes of SPEC §5, so that a verb or option added without its
// documentation fails here, naming what is missing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/docs/man_source.h"
#include "tests/support/agent_process.h"
#include "tests/support/cli.h"
#include "tests/support/find_program.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

#ifndef XMPPFED_SOURCE_DIR
#error "XMPPFED_SOURCE_DIR must name the source tree"
#endif

namespace xmppfed::testing {
namespace {

using ::testing::HasSubstr;

const std::string kSourceDir = XMPPFED_SOURCE_DIR;
const std::string kCliPage = kSourceDir + "/man/man1/xmppfed.1";
const std::string kAgentPage = kSourceDir + "/man/man8/xmppfed-agent.8";

// SPEC §5's exit codes; cli/exit_codes.h is read as well, so a code added
// there needs its documentation too.
const std::vector<int> kSpecExitCodes = {0, 1, 2, 3, 4, 5, 69};
// The agent's: 0 stopped, 2 usage (agent/config), 69 socket or store held
// (agent/main.cc).
const std::vector<int> kAgentExitCodes = {0, 2, 69};

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator)) parts.push_back(part);
  return parts;
}

// The names a VALUE such as "Required|Optional|NotSupported", "HOST[:PORT]"
// or "FILE|-" must show in the page: each alternative's leading word.
std::vector<std::string> ValueWords(const std::string& value) {
  std::vector<std::string> words;
  for (const std::string& alternative : Split(value, '|')) {
    size_t end = 0;
    while (end < alternative.size() &&
           (std::isalnum(static_cast<unsigned char>(alternative[end])) ||
            alternative[end] == '-' || alternative[end] == '_')) {
      ++end;
    }
    if (end > 0) words.push_back(alternative.substr(0, end));
  }
  return words;
}

struct SpecLine {
  std::string kind, verb, names, value;
};

std::vector<SpecLine> CliSpec() {
  CliResult result = RunCliRaw({"__cli-spec"});
  EXPECT_EQ(result.exit_code, 0) << result;
  std::vector<SpecLine> lines;
  for (const std::string& line : Split(result.out, '\n')) {
    std::vector<std::string> fields = Split(line, '\t');
    if (fields.empty()) continue;
    fields.resize(4);
    lines.push_back({fields[0], fields[1], fields[2], fields[3]});
  }
  return lines;
}

void ExpectLintClean(const std::string& page) {
  std::string mandoc = FindProgram("mandoc");
  if (mandoc.empty()) GTEST_SKIP() << "mandoc is not installed";
  ProcessResult result =
      RunProcess(mandoc, {"-T", "lint", "-W", "warning", page});
  ASSERT_TRUE(result.spawn_error.empty()) << result.spawn_error;
  EXPECT_EQ(result.status.ExitCodeOrMinusOne(), 0) << result.status;
  EXPECT_EQ(result.out + result.err, "");
}

::testing::AssertionResult HasSectionText(const ManPage& page,
                                          const std::string& section,
                                          const std::string& word) {
  const ManSection* found = page.FindSection(section);
  if (found == nullptr) {
    return ::testing::AssertionFailure() << "no section " << section;
  }
  if (!ContainsWord(found->Text(), word)) {
    return ::testing::AssertionFailure()
           << "'" << word << "' is not in section " << section;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult HasItem(const ManPage& page,
                                   const std::string& section,
                                   const std::string& head) {
  const ManSection* found = page.FindSection(section);
  if (found == nullptr) {
    return ::testing::AssertionFailure() << "no section " << section;
  }
  for (const std::string& item : found->Items()) {
    if (item == head) return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "section " << section << " has no item '" << head << "'";
}

TEST(ManSourceReader, PrintsWhatTheMacrosPrint) {
  EXPECT_EQ(RenderMdocLine(".It Fl o , Fl -output Cm table | json"),
            "-o , --output table | json");
  EXPECT_EQ(RenderMdocLine(".Op Ar FILE | Fl"), "FILE | -");
  EXPECT_EQ(RenderMdocLine(".Ql \\&[ and \\e"), "[ and \\");
  EXPECT_EQ(RenderMdocLine(".\\\" a comment"), "");
  EXPECT_TRUE(ContainsWord("a --socket PATH", "--socket"));
  EXPECT_FALSE(
      ContainsWord("--add-additional-domains", "--additional-domains"));
  EXPECT_FALSE(ContainsWord("--identity-x", "--identity"));
  ManPage page = ManPage::Parse(
      ".Sh EXIT STATUS\n.Bl -tag\n.It 69\nx\n.El\n.Sh X\n.Ss sub\ny\n");
  EXPECT_TRUE(HasItem(page, "EXIT STATUS", "69"));
  ASSERT_NE(page.FindSection("X"), nullptr);
  ASSERT_NE(page.FindSection("X")->FindSubsection("sub"), nullptr);
  EXPECT_EQ(page.FindSection("X")->FindSubsection("sub")->text, "y\n");
}

TEST(XmppfedPage, LintsCleanWithMandoc) { ExpectLintClean(kCliPage); }

TEST(AgentPage, LintsCleanWithMandoc) { ExpectLintClean(kAgentPage); }

TEST(XmppfedPage, DocumentsEveryVerbInItsOwnSubsection) {
  ManPage page = ManPage::Load(kCliPage);
  const ManSection* commands = page.FindSection("COMMANDS");
  ASSERT_NE(commands, nullptr) << kCliPage << " has no COMMANDS section";
  int verbs = 0;
  for (const SpecLine& line : CliSpec()) {
    if (line.kind != "verb") continue;
    ++verbs;
    EXPECT_NE(commands->FindSubsection(line.verb), nullptr)
        << "verb " << line.verb << " has no '.Ss " << line.verb
        << "' under COMMANDS in man/man1/xmppfed.1";
  }
  EXPECT_GE(verbs, 10) << "xmppfed __cli-spec listed too few verbs";
}

TEST(XmppfedPage, DocumentsNoVerbTheCliLacks) {
  std::set<std::string> verbs;
  for (const SpecLine& line : CliSpec()) {
    if (line.kind == "verb") verbs.insert(line.verb);
  }
  ManPage page = ManPage::Load(kCliPage);
  const ManSection* commands = page.FindSection("COMMANDS");
  ASSERT_NE(commands, nullptr);
  for (const ManSubsection& subsection : commands->subsections) {
    if (subsection.name.empty()) continue;
    EXPECT_TRUE(verbs.count(subsection.name))
        << "man/man1/xmppfed.1 documents '" << subsection.name
        << "', which xmppfed does not have";
  }
}

TEST(XmppfedPage, DocumentsEveryOptionAndArgumentOfEveryVerb) {
  ManPage page = ManPage::Load(kCliPage);
  const ManSection* commands = page.FindSection("COMMANDS");
  ASSERT_NE(commands, nullptr);
  int options = 0;
  for (const SpecLine& line : CliSpec()) {
    if (line.kind != "option" && line.kind != "positional") continue;
    const ManSubsection* verb = commands->FindSubsection(line.verb);
    if (verb == nullptr) continue;  // reported by the verb test
    if (line.kind == "option") {
      for (const std::string& name : Split(line.names, ' ')) {
        ++options;
        EXPECT_TRUE(ContainsWord(verb->text, name))
            << "option " << name << " of " << line.verb
            << " is not in its subsection of man/man1/xmppfed.1";
      }
    }
    for (const std::string& word : ValueWords(line.value)) {
      EXPECT_TRUE(ContainsWord(verb->text, word))
          << line.kind << " " << line.names << " of " << line.verb
          << ": its value '" << word
          << "' is not in its subsection of man/man1/xmppfed.1";
    }
  }
  EXPECT_GE(options, 30) << "xmppfed __cli-spec listed too few options";
}

TEST(XmppfedPage, DocumentsEveryGlobalOption) {
  ManPage page = ManPage::Load(kCliPage);
  int globals = 0;
  for (const SpecLine& line : CliSpec()) {
    if (line.kind != "global") continue;
    for (const std::string& name : Split(line.names, ' ')) {
      ++globals;
      EXPECT_TRUE(HasSectionText(page, "DESCRIPTION", name))
          << "global option " << name;
    }
    for (const std::string& word : ValueWords(line.value)) {
      EXPECT_TRUE(HasSectionText(page, "DESCRIPTION", word))
          << "value of global option " << line.names;
    }
  }
  EXPECT_GE(globals, 7);
}

TEST(XmppfedPage, DocumentsEveryExitCode) {
  std::set<int> codes(kSpecExitCodes.begin(), kSpecExitCodes.end());
  std::string header = ReadFileOrEmpty(kSourceDir + "/cli/exit_codes.h");
  ASSERT_FALSE(header.empty());
  std::regex enumerator(R"(k\w+\s*=\s*(\d+))");
  for (std::sregex_iterator it(header.begin(), header.end(), enumerator), end;
       it != end; ++it) {
    codes.insert(std::stoi((*it)[1]));
  }
  ManPage page = ManPage::Load(kCliPage);
  for (int code : codes) {
    EXPECT_TRUE(HasItem(page, "EXIT STATUS", std::to_string(code)));
  }
}

TEST(XmppfedPage, DocumentsEnvironmentFilesAndTheAgent) {
  ManPage page = ManPage::Load(kCliPage);
  EXPECT_TRUE(HasItem(page, "ENVIRONMENT", "XMPPFED_SOCKET"));
  EXPECT_TRUE(HasItem(page, "FILES", "/run/xmppfed/agent.sock"));
  EXPECT_TRUE(HasSectionText(page, "SEE ALSO", "xmppfed-agent"));
  for (const char* format : {"table", "json", "ndjson", "csv"}) {
    EXPECT_TRUE(HasItem(page, "OUTPUT", format));
  }
}

TEST(XmppfedPage, ExamplesShowJqACsvImportAndARoundTrip) {
  ManPage page = ManPage::Load(kCliPage);
  const ManSection* examples = page.FindSection("EXAMPLES");
  ASSERT_NE(examples, nullptr);
  std::string text = examples->Text();
  EXPECT_THAT(text, HasSubstr("xmppfed get-partner -o json |\n    jq -r '.[] "
                              "| select(.tlsNegotiation==\"Optional\") | "
                              ".identity'"));
  // A CSV file with its header, then its import.
  EXPECT_THAT(text, HasSubstr("\nidentity,partnerType,"));
  EXPECT_THAT(text, HasSubstr("xmppfed import-partners partners.csv"));
  // Export and import back.
  EXPECT_THAT(text, HasSubstr("xmppfed get-partner -o csv > partners.csv"));
  EXPECT_THAT(text, HasSubstr("import-partners --update"));
}

std::vector<std::string> AgentHelpOptions() {
  ProcessResult result = RunProcess(AgentBinary(), {"--help"});
  EXPECT_EQ(result.status.ExitCodeOrMinusOne(), 0) << result.err;
  std::vector<std::string> names;
  std::regex option(R"(^\s+(?:(-\w),)?(--[a-z0-9-]+))");
  for (const std::string& line : Split(result.out, '\n')) {
    std::smatch match;
    if (!std::regex_search(line, match, option)) continue;
    if (match[1].matched) names.push_back(match[1]);
    names.push_back(match[2]);
  }
  return names;
}

TEST(AgentPage, DocumentsEveryOptionOfHelp) {
  ManPage page = ManPage::Load(kAgentPage);
  std::vector<std::string> options = AgentHelpOptions();
  EXPECT_GE(options.size(), 13u) << "too few options in xmppfed-agent --help";
  for (const std::string& name : options) {
    EXPECT_TRUE(HasSectionText(page, "OPTIONS", name))
        << "xmppfed-agent option " << name;
  }
}

TEST(AgentPage, DocumentsEveryOptionAsAConfigurationKey) {
  ManPage page = ManPage::Load(kAgentPage);
  int keys = 0;
  for (const std::string& name : AgentHelpOptions()) {
    // Options that act on the configuration are not keys of it.
    if (name.rfind("--", 0) != 0 || name == "--help" || name == "--version" ||
        name == "--config" || name == "--reload") {
      continue;
    }
    ++keys;
    EXPECT_TRUE(HasSectionText(page, "CONFIGURATION FILE", name.substr(2)))
        << "the TOML key of " << name;
  }
  EXPECT_GE(keys, 10);
}

TEST(AgentPage, DocumentsExitCodesSignalsSystemdAndSecurity) {
  ManPage page = ManPage::Load(kAgentPage);
  for (int code : kAgentExitCodes) {
    EXPECT_TRUE(HasItem(page, "EXIT STATUS", std::to_string(code)));
  }
  EXPECT_TRUE(HasSectionText(page, "SIGNALS", "SIGTERM"));
  EXPECT_TRUE(HasSectionText(page, "SIGNALS", "SIGHUP"));
  EXPECT_TRUE(HasSectionText(page, "SIGNALS", "RELOADING=1"));
  EXPECT_TRUE(HasSectionText(page, "SYSTEMD", "--reload"));
  EXPECT_TRUE(HasSectionText(page, "SYSTEMD", "Type=notify"));
  EXPECT_TRUE(HasSectionText(page, "SYSTEMD", "READY=1"));
  EXPECT_TRUE(HasSectionText(page, "SECURITY CONSIDERATIONS", "0660"));
  EXPECT_TRUE(HasSectionText(page, "SECURITY CONSIDERATIONS", "passphrase"));
  EXPECT_TRUE(HasItem(page, "ENVIRONMENT", "XMPPFED_SOCKET"));
  EXPECT_TRUE(HasItem(page, "ENVIRONMENT", "NOTIFY_SOCKET"));
  EXPECT_TRUE(HasItem(page, "ENVIRONMENT", "JOURNAL_STREAM"));
  EXPECT_TRUE(HasItem(page, "FILES", "/etc/xmppfed/agent.toml"));
  EXPECT_TRUE(HasSectionText(page, "SEE ALSO", "xmppfed"));
}

}  // namespace
}  // namespace xmppfed::testing
