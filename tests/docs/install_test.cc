// `cmake --install` of this build tree (into a DESTDIR, as a package build
// does) puts the binaries, man pages, completions, the systemd unit, its
// sysusers.d entry and the agent's configuration file in place, and what it
// installs works: the unit runs the installed agent with the installed
// configuration, which starts it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/agent_process.h"
#include "tests/support/find_program.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

#if !defined(XMPPFED_SOURCE_DIR) || !defined(XMPPFED_BUILD_DIR) || \
    !defined(XMPPFED_CMAKE_COMMAND) || !defined(XMPPFED_INSTALL_PREFIX)
#error "the build passes the source and build trees, cmake and the prefix"
#endif

namespace xmppfed::testing {
namespace {

using ::testing::HasSubstr;

// Where GNUInstallDirs puts things for the configured prefix.
const std::string kPrefix = XMPPFED_INSTALL_PREFIX;
const std::string kBinDir = XMPPFED_INSTALL_FULL_BINDIR;
const std::string kSbinDir = XMPPFED_INSTALL_FULL_SBINDIR;
const std::string kLibexecDir = XMPPFED_INSTALL_FULL_LIBEXECDIR;
const std::string kManDir = XMPPFED_INSTALL_FULL_MANDIR;
const std::string kDataDir = XMPPFED_INSTALL_FULL_DATADIR;
const std::string kSysconfDir = XMPPFED_INSTALL_FULL_SYSCONFDIR;
const std::string kUnit = kPrefix + "/lib/systemd/system/xmppfed-agent.service";
const std::string kSysusers = kPrefix + "/lib/sysusers.d/xmppfed.conf";
const std::string kConfig = kSysconfDir + "/xmppfed/agent.toml";

bool IsExecutableFile(const std::string& path) {
  struct stat info;
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
         ::access(path.c_str(), X_OK) == 0;
}

bool IsFile(const std::string& path) {
  struct stat info;
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

// DESTDIR=`root` cmake --install BUILD_DIR.
::testing::AssertionResult Install(const std::string& root) {
  RunOptions options;
  options.env = {{"DESTDIR", root}};
  options.timeout = std::chrono::minutes(5);
  ProcessResult result = RunProcess(XMPPFED_CMAKE_COMMAND,
                                    {"--install", XMPPFED_BUILD_DIR}, options);
  if (!result.spawn_error.empty() || result.status.ExitCodeOrMinusOne() != 0) {
    return ::testing::AssertionFailure()
           << "cmake --install failed (" << result.status << ") "
           << result.spawn_error << "\n"
           << result.out << result.err;
  }
  return ::testing::AssertionSuccess();
}

// The unit's "Key=value" lines; a key given twice keeps its last value.
std::map<std::string, std::string> UnitSettings(const std::string& unit) {
  std::map<std::string, std::string> settings;
  std::istringstream lines(unit);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#' || line[0] == '[') continue;
    size_t equals = line.find('=');
    if (equals == std::string::npos) continue;
    settings[line.substr(0, equals)] = line.substr(equals + 1);
  }
  return settings;
}

std::vector<std::string> Words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

TEST(Install, PutsBinariesManPagesCompletionsAndTheServiceInPlace) {
  TempDir dir("install");
  const std::string root = dir.File("root");
  ASSERT_TRUE(Install(root));

  for (const std::string& binary :
       {kBinDir + "/xmppfed", kLibexecDir + "/xmppfed/xmppfed-rpc",
        kSbinDir + "/xmppfed-agent"}) {
    EXPECT_TRUE(IsExecutableFile(root + binary)) << binary;
  }
  // Where man(1) looks: MANDIR/manN/NAME.N.
  EXPECT_EQ(ReadFileOrEmpty(root + kManDir + "/man1/xmppfed.1"),
            ReadFileOrEmpty(XMPPFED_SOURCE_DIR "/man/man1/xmppfed.1"));
  EXPECT_EQ(ReadFileOrEmpty(root + kManDir + "/man8/xmppfed-agent.8"),
            ReadFileOrEmpty(XMPPFED_SOURCE_DIR "/man/man8/xmppfed-agent.8"));
  EXPECT_FALSE(ReadFileOrEmpty(root + kManDir + "/man1/xmppfed.1").empty());

  EXPECT_TRUE(IsFile(root + kUnit)) << kUnit;
  EXPECT_TRUE(IsFile(root + kSysusers)) << kSysusers;
  EXPECT_TRUE(IsFile(root + kConfig)) << kConfig;

  if (IsFile(XMPPFED_SOURCE_DIR "/completions/CMakeLists.txt")) {
    EXPECT_TRUE(
        IsFile(root + kDataDir + "/bash-completion/completions/xmppfed"));
    EXPECT_TRUE(IsFile(root + kDataDir + "/zsh/vendor-completions/_xmppfed") ||
                IsFile(root + kDataDir + "/zsh/site-functions/_xmppfed"));
    EXPECT_TRUE(
        IsFile(root + kDataDir + "/fish/vendor_completions.d/xmppfed.fish"));
  }

  ProcessResult version = RunProcess(root + kBinDir + "/xmppfed", {"version"});
  EXPECT_EQ(version.status.ExitCodeOrMinusOne(), 0) << version.err;
  EXPECT_THAT(version.out, HasSubstr("xmppfed "));
}

TEST(Install, UnitRunsTheInstalledAgentAsItsOwnUserWithNotify) {
  TempDir dir("install");
  const std::string root = dir.File("root");
  ASSERT_TRUE(Install(root));
  const std::string unit = ReadFileOrEmpty(root + kUnit);
  ASSERT_FALSE(unit.empty()) << kUnit;
  EXPECT_THAT(unit, HasSubstr("[Unit]"));
  EXPECT_THAT(unit, HasSubstr("[Service]"));
  EXPECT_THAT(unit, HasSubstr("[Install]"));
  // Every @VARIABLE@ was replaced, and the unit names installed paths, not
  // the staging directory.
  EXPECT_FALSE(std::regex_search(unit, std::regex("@[A-Z_]+@"))) << unit;
  EXPECT_EQ(unit.find(root), std::string::npos) << unit;

  std::map<std::string, std::string> settings = UnitSettings(unit);
  EXPECT_EQ(settings["Type"], "notify");
  EXPECT_EQ(settings["User"], "xmppfed");
  EXPECT_EQ(settings["Group"], "xmppfed");
  EXPECT_EQ(settings["RuntimeDirectory"], "xmppfed");
  EXPECT_EQ(settings["StateDirectory"], "xmppfed");
  EXPECT_EQ(settings["Restart"], "on-failure");
  EXPECT_EQ(settings["WantedBy"], "multi-user.target");

  std::vector<std::string> exec = Words(settings["ExecStart"]);
  ASSERT_EQ(exec.size(), 3u) << settings["ExecStart"];
  EXPECT_EQ(exec[0], kSbinDir + "/xmppfed-agent");
  EXPECT_TRUE(IsExecutableFile(root + exec[0])) << exec[0];
  EXPECT_EQ(exec[1], "--config");
  EXPECT_EQ(exec[2], kConfig);
  EXPECT_TRUE(IsFile(root + exec[2])) << exec[2];
  // systemctl reload: the same agent and file, checked, then SIGHUP.
  EXPECT_EQ(
      Words(settings["ExecReload"]),
      (std::vector<std::string>{exec[0], "--config", kConfig, "--reload"}));

  // The user the unit names is the one sysusers.d creates (with its group).
  EXPECT_THAT(ReadFileOrEmpty(root + kSysusers), HasSubstr("\nu xmppfed "));
}

TEST(Install, InstalledConfigurationStartsTheInstalledAgent) {
  TempDir dir("install");
  const std::string root = dir.File("root");
  ASSERT_TRUE(Install(root));
  // The command line wins over the file: only socket and store are moved
  // into the test's directory, as systemd's RUNTIME_DIRECTORY and
  // STATE_DIRECTORY would.
  const std::string socket = dir.File("agent.sock");
  RunOptions options;
  options.unset_env = {"XMPPFED_SOCKET", "NOTIFY_SOCKET"};
  std::string error;
  pid_t pid = StartBackground(root + kSbinDir + "/xmppfed-agent",
                              {"--config", root + kConfig, "--socket", socket,
                               "--store", "sqlite:" + dir.File("xmppfed.db")},
                              "", dir.File("agent.log"), options, &error);
  ASSERT_GT(pid, 0) << error;

  const auto deadline =
      std::chrono::steady_clock::now() + AgentProcess::StartTimeout();
  bool answered = false;
  std::optional<ExitStatus> early;
  while (std::chrono::steady_clock::now() < deadline) {
    if ((early = PollExit(pid))) break;
    if ((answered = SocketAcceptsConnections(socket))) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (!early) ::kill(pid, answered ? SIGTERM : SIGKILL);
  std::optional<ExitStatus> status =
      early ? early : WaitForExit(pid, std::chrono::seconds(20));
  EXPECT_TRUE(answered) << "the agent did not serve " << socket
                        << "; its log:\n"
                        << ReadFileOrEmpty(dir.File("agent.log"));
  ASSERT_TRUE(status.has_value());
  EXPECT_TRUE(status->exited && status->code == 0) << *status;
}

TEST(Install, KeepsAnEditedConfigurationFile) {
  TempDir dir("install");
  const std::string root = dir.File("root");
  ASSERT_TRUE(Install(root));
  {
    std::ofstream config(root + kConfig, std::ios::app);
    config << "domain = [\"edited.example\"]\n";
  }
  ASSERT_TRUE(::unlink((root + kUnit).c_str()) == 0);
  ASSERT_TRUE(Install(root));
  EXPECT_THAT(ReadFileOrEmpty(root + kConfig),
              HasSubstr("domain = [\"edited.example\"]"));
  EXPECT_TRUE(IsFile(root + kUnit)) << "the unit is installed again";
}

TEST(Install, SysusersCreatesTheUserAndTheGroupsOfTheRoles) {
  std::string sysusers = FindProgram("systemd-sysusers");
  if (sysusers.empty()) GTEST_SKIP() << "systemd-sysusers is not installed";
  TempDir dir("install");
  const std::string root = dir.File("root");
  ASSERT_TRUE(Install(root));
  const std::string image = dir.File("image");
  ASSERT_EQ(::mkdir(image.c_str(), 0755), 0);
  ASSERT_EQ(::mkdir((image + "/etc").c_str(), 0755), 0);
  ProcessResult result =
      RunProcess(sysusers, {"--root=" + image, root + kSysusers});
  ASSERT_EQ(result.status.ExitCodeOrMinusOne(), 0) << result.err;
  std::string passwd = ReadFileOrEmpty(image + "/etc/passwd");
  std::string group = ReadFileOrEmpty(image + "/etc/group");
  EXPECT_THAT(passwd, HasSubstr("xmppfed:x:")) << passwd;
  EXPECT_THAT(passwd, HasSubstr(":/var/lib/xmppfed:")) << passwd;
  EXPECT_THAT(group, HasSubstr("xmppfed:x:")) << group;
  // The agent's default --operator-groups and --admin-groups.
  EXPECT_THAT(group, HasSubstr("xmppfed-operator:x:")) << group;
  EXPECT_THAT(group, HasSubstr("xmppfed-admin:x:")) << group;
}

TEST(Install, UnitPassesSystemdAnalyzeVerify) {
  std::string analyze = FindProgram("systemd-analyze");
  if (analyze.empty()) GTEST_SKIP() << "systemd-analyze is not installed";
  TempDir dir("install");
  const std::string root = dir.File("root");
  ASSERT_TRUE(Install(root));
  // verify checks that the programs of ExecStart= and ExecReload= exist:
  // point the unit at the staged copy.
  std::string unit = ReadFileOrEmpty(root + kUnit);
  const std::string agent = kSbinDir + "/xmppfed-agent";
  for (const std::string setting : {"ExecStart=", "ExecReload="}) {
    size_t at = unit.find(setting + agent);
    ASSERT_NE(at, std::string::npos) << unit;
    unit.insert(at + setting.size(), root);
  }
  const std::string copy = dir.WriteFile("xmppfed-agent.service", unit);
  ProcessResult result = RunProcess(analyze, {"verify", "--man=no", copy});
  EXPECT_EQ(result.status.ExitCodeOrMinusOne(), 0) << result.err;
  // Unknown or misspelt settings are only warned about: none may be.
  EXPECT_EQ(result.err, "");
}

}  // namespace
}  // namespace xmppfed::testing
