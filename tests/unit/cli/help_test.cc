// The CLI's help, derived from its one table of verbs and options: `help`
// and `help VERB`, "did you mean" for mistyped verbs and options, an
// Examples section in every verb's help, and no CLI11 formatting leaking
// into any of it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/unit/cli/parse_helpers.h"

namespace xmppfed::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::Parse;
using testing::TestEnvironment;
using testing::UsageError;

ParseResult ParseArgs(const std::vector<std::string>& args) {
  std::vector<const char*> argv = {"xmppfed"};
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  return ParseInvocation(static_cast<int>(argv.size()), argv.data(),
                         TestEnvironment());
}

// Every verb people type, from the command line's own description.
std::vector<std::string> Verbs() {
  ParseResult spec = Parse({"__cli-spec"});
  std::vector<std::string> verbs;
  std::istringstream lines(spec.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("verb\t", 0) != 0) continue;
    verbs.push_back(line.substr(5, line.find('\t', 5) - 5));
  }
  return verbs;
}

TEST(HelpTest, HelpIsTheSameAsDashDashHelp) {
  ParseResult help = Parse({"help"});
  EXPECT_EQ(help.exit_code, kExitOk);
  EXPECT_FALSE(help.invocation.has_value());
  EXPECT_EQ(help.out, Parse({"--help"}).out);
  EXPECT_THAT(help.out, HasSubstr("Verbs:"));
  EXPECT_THAT(help.out, HasSubstr("import-partners"));
}

TEST(HelpTest, HelpVerbIsTheVerbsHelp) {
  for (const std::string& verb : Verbs()) {
    ParseResult help = ParseArgs({"help", verb});
    EXPECT_EQ(help.exit_code, kExitOk) << verb;
    EXPECT_EQ(help.out, ParseArgs({verb, "--help"}).out) << verb;
    EXPECT_THAT(help.out, HasSubstr("Usage: xmppfed " + verb)) << verb;
  }
}

TEST(HelpTest, HelpOfAnUnknownVerbSuggestsOne) {
  EXPECT_THAT(UsageError({"help", "get-partners"}),
              HasSubstr("'get-partners' is not a verb (did you mean "
                        "'get-partner'?)"));
  EXPECT_THAT(UsageError({"help", "__cli-spec"}), HasSubstr("is not a verb"));
}

TEST(HelpTest, MistypedVerbsAndOptionsGetASuggestion) {
  EXPECT_THAT(UsageError({"get-partners"}),
              HasSubstr("(did you mean 'get-partner'?)"));
  EXPECT_THAT(UsageError({"remove-sesion", "3"}),
              HasSubstr("(did you mean 'remove-session'?)"));
  EXPECT_THAT(UsageError({"get-partner", "--fliter", "a*"}),
              HasSubstr("--fliter (did you mean '--filter'?)"));
  EXPECT_THAT(UsageError({"get-agent", "--ouptut", "json"}),
              HasSubstr("(did you mean '--output'?)"));
  EXPECT_THAT(UsageError({"import-partners", "--delimter=;", "x.csv"}),
              HasSubstr("(did you mean '--delimiter'?)"));
  EXPECT_THAT(UsageError({"frobnicate"}), Not(HasSubstr("did you mean")));
}

TEST(HelpTest, EveryVerbHasExamplesOfItself) {
  std::vector<std::string> verbs = Verbs();
  ASSERT_GE(verbs.size(), 14u);
  for (const std::string& verb : verbs) {
    std::string help = ParseArgs({verb, "--help"}).out;
    std::size_t examples = help.find("\nExamples:\n");
    ASSERT_NE(examples, std::string::npos) << verb << ":\n" << help;
    EXPECT_THAT(help.substr(examples), HasSubstr("xmppfed " + verb))
        << verb << ":\n"
        << help;
  }
}

TEST(HelpTest, NoLibraryFormattingLeaksIntoHelp) {
  // CLI11's type names and validator descriptions ("SECONDS:INT in [1 -
  // 300]", "TEXT:FILE", "Excludes:", "=default", "Env:", "REQUIRED").
  std::regex leaked(
      R"([A-Z]+:[A-Z]+|in \[|Excludes:|Needs:|\(Env:|REQUIRED|=\[|\b(INT|UINT|FLOAT)\b)");
  std::vector<std::string> helps = {Parse({"--help"}).out};
  for (const std::string& verb : Verbs()) {
    helps.push_back(ParseArgs({verb, "--help"}).out);
  }
  for (const std::string& help : helps) {
    std::smatch match;
    EXPECT_FALSE(std::regex_search(help, match, leaked))
        << "'" << match.str() << "' in:\n"
        << help;
  }
}

TEST(HelpTest, SetPartnerNamesNoDefaults) {
  // set-partner keeps what is not given: new-partner's defaults do not
  // apply to it.
  std::string set = Parse({"set-partner", "--help"}).out;
  EXPECT_THAT(set, Not(HasSubstr("default")));
  EXPECT_THAT(Parse({"new-partner", "--help"}).out,
              HasSubstr("(default PublicUnverified)"));
}

TEST(HelpTest, TestPartnerTimeoutRangeInWords) {
  EXPECT_THAT(Parse({"test-partner", "--help"}).out,
              HasSubstr("--timeout SECONDS"));
  EXPECT_THAT(UsageError({"test-partner", "a.com", "--timeout", "301"}),
              HasSubstr("'301' is not a whole number from 1 to 300"));
  EXPECT_EQ(testing::Ok({"test-partner", "a.com", "--timeout", "300"})
                .test_timeout_seconds,
            300u);
}

TEST(HelpTest, WideIsAnOutputFormat) {
  EXPECT_EQ(testing::Ok({"get-partner", "-o", "wide"}).global.output,
            OutputFormat::kWide);
}

}  // namespace
}  // namespace xmppfed::cli
