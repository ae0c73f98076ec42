// When a change asks first, and how the answer is read (SPEC §5).
#include "cli/rpc/confirm.h"

#include <gtest/gtest.h>

#include <sstream>

namespace xmppfed::cli {
namespace {

struct Prompt {
  std::istringstream in;
  std::ostringstream err;
  bool terminal = true;

  Confirmation Ask(const GlobalOptions& global, bool asks_by_default) {
    return Confirm(global, asks_by_default, "Remove 2 partners: a.com, b.com?",
                   PromptIo{terminal, in, err});
  }
};

TEST(ConfirmTest, AsksOnATerminalAndAcceptsYes) {
  for (const char* answer : {"y\n", "Y\n", "yes\n", "YES \n"}) {
    Prompt prompt;
    prompt.in.str(answer);
    EXPECT_EQ(prompt.Ask({}, true), Confirmation::kProceed) << answer;
    EXPECT_EQ(prompt.err.str(), "Remove 2 partners: a.com, b.com? [y/N] ");
  }
}

TEST(ConfirmTest, AnythingElseDeclines) {
  for (const char* answer : {"\n", "n\n", "no\n", "yep\n", ""}) {
    Prompt prompt;
    prompt.in.str(answer);
    EXPECT_EQ(prompt.Ask({}, true), Confirmation::kDeclined) << answer;
  }
}

TEST(ConfirmTest, NeverAsksWithoutATerminal) {
  Prompt prompt;
  prompt.terminal = false;
  prompt.in.str("y\n");
  EXPECT_EQ(prompt.Ask({}, true), Confirmation::kNoTerminal);
  EXPECT_EQ(prompt.err.str(), "");
}

TEST(ConfirmTest, ForceAndWhatIfSkipThePrompt) {
  GlobalOptions force;
  force.force = true;
  GlobalOptions what_if;
  what_if.what_if = true;
  Prompt prompt;
  prompt.terminal = false;
  EXPECT_EQ(prompt.Ask(force, true), Confirmation::kProceed);
  EXPECT_EQ(prompt.Ask(what_if, true), Confirmation::kProceed);
}

TEST(ConfirmTest, ConfirmFlagAsksForVerbsThatOtherwiseDoNot) {
  Prompt prompt;
  EXPECT_EQ(prompt.Ask({}, false), Confirmation::kProceed);
  EXPECT_EQ(prompt.err.str(), "");
  GlobalOptions confirm;
  confirm.confirm = true;
  prompt.in.str("n\n");
  EXPECT_EQ(prompt.Ask(confirm, false), Confirmation::kDeclined);
  prompt.terminal = false;
  EXPECT_EQ(prompt.Ask(confirm, false), Confirmation::kNoTerminal);
}

}  // namespace
}  // namespace xmppfed::cli
