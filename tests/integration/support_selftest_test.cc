// The test helpers themselves: subprocesses (exit codes, signals, stdin,
// environment, timeouts, sessions and terminals, live input) and JSON
// parsing. Uses only standard system tools.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/json.h"
#include "tests/support/live_process.h"
#include "tests/support/pseudo_terminal.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

namespace xmppfed::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

RunOptions WithStdin(std::string text) {
  RunOptions options;
  options.stdin_text = std::move(text);
  return options;
}

TEST(SubprocessTest, CapturesStdoutStdinAndExitCode) {
  ProcessResult cat = RunProcess("/bin/cat", {}, WithStdin("hello\n"));
  EXPECT_TRUE(cat.status.exited);
  EXPECT_EQ(cat.status.code, 0);
  EXPECT_EQ(cat.out, "hello\n");

  // Large input and output do not deadlock.
  std::string big(1 << 20, 'x');
  cat = RunProcess("/bin/cat", {}, WithStdin(big));
  EXPECT_EQ(cat.out.size(), big.size());

  ProcessResult failed = RunProcess("/bin/false", {});
  EXPECT_TRUE(failed.status.exited);
  EXPECT_EQ(failed.status.code, 1);

  ProcessResult missing = RunProcess("/nonexistent/program", {});
  EXPECT_THAT(missing.spawn_error, HasSubstr("/nonexistent/program"));
}

TEST(SubprocessTest, StderrEnvironmentAndStdinIsNotATerminal) {
  RunOptions env_options;
  env_options.env = {{"XMPPFED_SELFTEST", "yes"}};
  env_options.unset_env = {"HOME"};
  ProcessResult env = RunProcess("/usr/bin/env", {}, env_options);
  EXPECT_THAT(env.out, HasSubstr("XMPPFED_SELFTEST=yes"));
  EXPECT_THAT(env.out, ::testing::Not(HasSubstr("\nHOME=")));

  ProcessResult ls = RunProcess("/bin/ls", {"/nonexistent-dir"});
  EXPECT_NE(ls.status.code, 0);
  EXPECT_THAT(ls.err, HasSubstr("nonexistent-dir"));

  ProcessResult tty = RunProcess("/usr/bin/test", {"-t", "0"});
  EXPECT_EQ(tty.status.code, 1) << "stdin must not be a terminal";
}

TEST(SubprocessTest, TimeoutKills) {
  RunOptions short_timeout;
  short_timeout.timeout = std::chrono::milliseconds(200);
  auto start = std::chrono::steady_clock::now();
  ProcessResult sleep = RunProcess("/bin/sleep", {"30"}, short_timeout);
  EXPECT_TRUE(sleep.status.timed_out);
  EXPECT_FALSE(sleep.status.exited);
  EXPECT_EQ(sleep.status.signal, SIGKILL);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(SubprocessTest, BackgroundProcessWritesToFiles) {
  TempDir dir;
  std::string error;
  pid_t pid = StartBackground("/bin/ls", {"/nonexistent-dir"}, "",
                              dir.File("err"), {}, &error);
  ASSERT_GT(pid, 0) << error;
  std::optional<ExitStatus> status = WaitForExit(pid, std::chrono::seconds(10));
  ASSERT_TRUE(status);
  EXPECT_TRUE(status->exited);
  EXPECT_NE(status->code, 0);
  EXPECT_THAT(ReadFileOrEmpty(dir.File("err")), HasSubstr("nonexistent-dir"));
}

TEST(SubprocessTest, ChildDiesWithTheThreadThatStartedIt) {
  pid_t pid = -1;
  std::string error;
  std::thread starter(
      [&] { pid = StartBackground("/bin/sleep", {"30"}, "", "", {}, &error); });
  starter.join();
  ASSERT_GT(pid, 0) << error;
  std::optional<ExitStatus> status = WaitForExit(pid, std::chrono::seconds(10));
  ASSERT_TRUE(status) << "the child outlived its starter";
  EXPECT_EQ(status->signal, SIGKILL) << *status;
}

TEST(LiveProcessTest, OutputArrivesBeforeTheInputEnds) {
  LiveProcess cat("/bin/cat", {});
  ASSERT_TRUE(cat.started()) << cat.error();
  ASSERT_TRUE(cat.Write("first\n"));
  EXPECT_TRUE(cat.WaitForOutput("first\n", std::chrono::seconds(10)));
  ASSERT_TRUE(cat.Write("second\n"));
  ExitStatus status = cat.Finish(std::chrono::seconds(10));
  EXPECT_EQ(status.ExitCodeOrMinusOne(), 0) << status;
  EXPECT_EQ(cat.out(), "first\nsecond\n");
}

TEST(PseudoTerminalTest, IsTheControllingTerminalOfTheProgram) {
  PseudoTerminal terminal;
  ASSERT_EQ(terminal.error(), "");
  RunOptions options;
  options.controlling_terminal = terminal.device();
  // Asks on /dev/tty and answers on stdout, its stdin being a pipe.
  LiveProcess asker(
      "/bin/sh",
      {"-c", "echo 'sure?' >/dev/tty; read answer </dev/tty; echo \"$answer\""},
      options);
  ASSERT_TRUE(asker.started()) << asker.error();
  EXPECT_TRUE(terminal.WaitFor("sure?", std::chrono::seconds(10)));
  EXPECT_TRUE(terminal.Type("yes\n"));
  ExitStatus status = asker.Finish(std::chrono::seconds(10));
  EXPECT_EQ(status.ExitCodeOrMinusOne(), 0) << status << asker.err();
  EXPECT_EQ(asker.out(), "yes\n");
}

TEST(SubprocessTest, ANewSessionHasNoTerminal) {
  RunOptions options;
  options.new_session = true;
  ProcessResult result =
      RunProcess("/bin/sh", {"-c", "exec 3</dev/tty"}, options);
  EXPECT_NE(result.status.ExitCodeOrMinusOne(), 0)
      << "opened /dev/tty without a controlling terminal";
}

TEST(JsonTest, ObjectsArraysAndNdjson) {
  JsonValue value;
  ASSERT_TRUE(
      ParseJson(R"({"a": "x", "n": 3, "b": true, "l": ["p", "q"]})", &value));
  EXPECT_TRUE(IsObject(value));
  EXPECT_THAT(Keys(value), ElementsAre("a", "b", "l", "n"));
  EXPECT_EQ(GetString(value, "a"), "x");
  EXPECT_EQ(GetNumber(value, "n"), 3);
  EXPECT_EQ(GetBool(value, "b"), true);
  EXPECT_EQ(GetStringList(value, "l"), (std::vector<std::string>{"p", "q"}));
  EXPECT_EQ(GetNumber(value, "a"), std::nullopt);
  EXPECT_FALSE(Has(value, "z"));

  ASSERT_TRUE(ParseJson("[{\"i\": 1}, {\"i\": 2}]\n", &value));
  EXPECT_TRUE(IsArray(value));
  EXPECT_EQ(Elements(value).size(), 2u);
  ASSERT_TRUE(ParseJson("[]", &value));
  EXPECT_TRUE(IsArray(value));

  std::vector<JsonValue> lines;
  ASSERT_TRUE(ParseNdjson("{\"i\": 1}\n{\"i\": 2}\n", &lines));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(GetNumber(lines[1], "i"), 2);

  JsonValue a, b;
  ASSERT_TRUE(ParseJson(R"({"x": 1, "y": [true, "s"], "z": {"q": null}})", &a));
  ASSERT_TRUE(ParseJson(R"({"z": {"q": null}, "y": [true, "s"], "x": 1})", &b));
  EXPECT_EQ(ToJson(a), ToJson(b));
  EXPECT_EQ(ToJson(a), R"({"x":1,"y":[true,"s"],"z":{"q":null}})");

  EXPECT_FALSE(ParseJson("{not json", &value));
  EXPECT_FALSE(ParseNdjson("{\"i\": 1}\n{\"i\": \n", &lines));
}

}  // namespace
}  // namespace xmppfed::testing
