// The README's tour runs as pasted: an agent started as the README's first
// command starts it, then every command of the tour's console blocks (the
// verbs, bulk import and export, the migration from Skype for Business) in
// one bash, in order, in an empty directory, with the PATH and
// XMPPFED_SOCKET the first command exports. Each command's output (stdout
// and stderr as a terminal interleaves them) must be what the README shows,
// times, the uptime and the pid aside.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

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

const std::string kReadme = std::string(XMPPFED_SOURCE_DIR) + "/README.md";
// The directory the README's first command gives the agent.
const std::string kTourDir = "/tmp/xmppfed";
// The sections whose console blocks the tour is made of, in order.
const std::vector<std::string> kTourSections = {
    "## A tour of the verbs", "### Bulk import and export",
    "### Migrating from Skype for Business Server"};

// `text` with every `from` replaced by `to` (which may contain `from`).
std::string ReplaceAll(std::string text, const std::string& from,
                       const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

struct Step {
  std::string command;
  std::string expected;
};

// The console blocks of `section` (up to the next heading) as commands and
// their outputs. A "<<'EOF'" command takes the lines up to EOF with it.
std::vector<Step> StepsOf(const std::vector<std::string>& readme,
                          const std::string& section) {
  std::vector<Step> steps;
  bool in_section = false, in_block = false;
  for (std::size_t i = 0; i < readme.size(); ++i) {
    const std::string& line = readme[i];
    if (!in_block && line.rfind("#", 0) == 0) {
      if (in_section) break;
      in_section = line == section;
      continue;
    }
    if (!in_section) continue;
    if (line.rfind("```", 0) == 0) {
      in_block = !in_block && line == "```console";
      continue;
    }
    if (!in_block) continue;
    if (line.rfind("$ ", 0) == 0) {
      Step step{line.substr(2), ""};
      if (step.command.find("<<'EOF'") != std::string::npos) {
        while (++i < readme.size() && readme[i] != "EOF") {
          step.command += "\n" + readme[i];
        }
        step.command += "\nEOF";
      }
      steps.push_back(step);
    } else if (!steps.empty()) {
      steps.back().expected += line + "\n";
    }
  }
  return steps;
}

// What may differ between runs: times, the uptime, the pid, and where the
// test's agent lives.
std::string Normalize(std::string text, const std::string& dir) {
  text = ReplaceAll(std::move(text), dir, kTourDir);
  text = std::regex_replace(
      text, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"),
      "2026-01-01T00:00:00.000Z");
  text =
      std::regex_replace(text, std::regex(R"((UptimeSeconds +: )\d+)"), "$011");
  text = std::regex_replace(text, std::regex(R"((Pid +: )\d+)"), "$01999");
  // Blank lines after an output separate it from the next command.
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

// The agent's arguments in the README's first command, with its directory
// moved into `dir`.
std::vector<std::string> FirstCommandAgentArgs(
    const std::vector<std::string>& readme, const std::string& dir) {
  for (const std::string& line : readme) {
    if (line.rfind("bash .ci/install-deps", 0) != 0) continue;
    std::smatch match;
    EXPECT_TRUE(std::regex_search(line, match,
                                  std::regex(R"(xmppfed-agent ([^&]*) &\))")))
        << line;
    std::vector<std::string> args;
    std::istringstream words(match[1].str());
    for (std::string word; words >> word;) {
      args.push_back(ReplaceAll(word, kTourDir, dir));
    }
    return args;
  }
  ADD_FAILURE() << "no first command (bash .ci/install-deps ...) in README";
  return {};
}

TEST(ReadmeTour, TheFirstCommandSetsUpWhatTheTourUses) {
  std::vector<std::string> readme = Lines(ReadFileOrEmpty(kReadme));
  std::string first;
  for (const std::string& line : readme) {
    if (line.rfind("bash .ci/install-deps", 0) == 0) first = line;
  }
  // After it, `xmppfed` and the agent's socket need nothing more.
  EXPECT_THAT(first, HasSubstr("export PATH=\"$PWD/build/cli:"));
  EXPECT_THAT(first, HasSubstr("XMPPFED_SOCKET=" + kTourDir + "/agent.sock"));
  EXPECT_THAT(first, HasSubstr("--socket " + kTourDir + "/agent.sock"));
}

TEST(ReadmeTour, RefersToNoFileOutsideTheRepository) {
  std::string readme = ReadFileOrEmpty(kReadme);
  EXPECT_THAT(readme, Not(HasSubstr("SPEC.md")));
  EXPECT_THAT(readme, Not(HasSubstr("/tmp/tour")));
  EXPECT_THAT(readme, Not(HasSubstr("$PASSPHRASE")));
}

TEST(ReadmeTour, RunsAsPastedAndPrintsWhatTheReadmeShows) {
  if (FindProgram("jq").empty()) GTEST_SKIP() << "jq is not installed";
  std::vector<std::string> readme = Lines(ReadFileOrEmpty(kReadme));
  std::vector<Step> steps;
  for (const std::string& section : kTourSections) {
    std::vector<Step> more = StepsOf(readme, section);
    EXPECT_FALSE(more.empty()) << "no console block under " << section;
    steps.insert(steps.end(), more.begin(), more.end());
  }
  ASSERT_GE(steps.size(), 25u);

  TempDir dir("tour");
  std::string work = dir.File("work");
  std::filesystem::create_directory(work);
  AgentProcess agent(dir.path());
  agent.ReplaceArgs(FirstCommandAgentArgs(readme, dir.path()));
  ASSERT_TRUE(agent.Start());

  RunOptions options;
  options.unset_env = {"XMPPFED_SOCKET", "COLUMNS"};
  std::string cli_dir =
      std::filesystem::path(CliBinary()).parent_path().string();
  std::string agent_dir =
      std::filesystem::path(AgentBinary()).parent_path().string();
  const char* path = std::getenv("PATH");
  options.env = {{"PATH", cli_dir + ":" + agent_dir + ":" +
                              (path == nullptr ? "/usr/bin:/bin" : path)},
                 {"XMPPFED_SOCKET", agent.socket_path()}};
  for (const Step& step : steps) {
    ProcessResult run = RunProcess(
        "/bin/bash",
        {"-c", "cd '" + work + "' && { " + step.command + "\n} 2>&1"}, options);
    ASSERT_TRUE(run.spawn_error.empty()) << run.spawn_error;
    EXPECT_EQ(Normalize(run.out, dir.path()),
              Normalize(step.expected, dir.path()))
        << "$ " << step.command;
  }
  EXPECT_EQ(agent.Terminate().code, 0) << agent.Log();
}

}  // namespace
}  // namespace xmppfed::testing
