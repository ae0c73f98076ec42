// Bad input that once cost more than one record, end to end: each gets a
// clear error with a non-zero exit code, and nothing else is lost or
// changed (issue list: invalid UTF-8, a 4 MB identity, huge fields and
// lines, empty identities and list elements, bidi controls, the
// connection-limit range, a domain added and removed at once, the store
// reached through a symbolic link, the socket's new directories).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/integration/agent_fixture.h"
#include "tests/support/subprocess.h"

namespace xmppfed::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class BadInputTest : public AgentWithDomainTest {
 protected:
  std::vector<JsonValue> Results(const CliResult& result) const {
    std::vector<JsonValue> results;
    EXPECT_TRUE(ParseNdjson(result.out, &results)) << result;
    return results;
  }

  // A file of `size` bytes written in pieces, not held in a string.
  std::string WriteLarge(const std::string& name, const std::string& head,
                         char fill, std::size_t size,
                         const std::string& tail) const {
    std::string path = dir_.File(name);
    std::ofstream out(path, std::ios::binary);
    out << head;
    std::string chunk(1 << 16, fill);
    for (std::size_t written = 0; written < size; written += chunk.size()) {
      out.write(chunk.data(), static_cast<std::streamsize>(
                                  std::min(chunk.size(), size - written)));
    }
    out << tail;
    return path;
  }

  // import-partners FILE under /usr/bin/time: the CLI's peak RSS in KiB.
  long ImportPeakKiB(const std::string& path, CliResult* result) const {
    RunOptions options;
    options.unset_env = {"XMPPFED_SOCKET"};
    ProcessResult run = RunProcess(
        "/usr/bin/time",
        {"-f", "peak-rss-kib=%M", CliBinary(), "--socket",
         agent_->socket_path(), "import-partners", path, "-o", "ndjson"},
        options);
    result->exit_code = run.status.ExitCodeOrMinusOne();
    result->out = run.out;
    result->err = run.err;
    std::size_t at = run.err.rfind("peak-rss-kib=");
    return at == std::string::npos ? -1 : std::stol(run.err.substr(at + 13));
  }
};

TEST_F(BadInputTest, InvalidUtf8InADescriptionIsAUsageError) {
  CliResult result = Cli({"new-partner", "d.test", "--description",
                          "a\xff"
                          "b"});
  EXPECT_EQ(result.exit_code, 2) << result;
  EXPECT_THAT(result.err, HasSubstr("--description: not valid UTF-8 (byte "
                                    "0xFF at position 2)"));
  EXPECT_THAT(result.err, Not(HasSubstr("internal error")));
  EXPECT_TRUE(PartnerMissing("d.test"));
}

TEST_F(BadInputTest, InvalidUtf8InAnImportIsOneRefusedRecord) {
  std::string path = dir_.WriteFile("p.csv",
                                    "identity,description\n"
                                    "u1.test,fine\n"
                                    "u2.test,bad\xff"
                                    "byte\n"
                                    "u3.test,also fine\n");
  CliResult result = Cli({"import-partners", path, "-o", "ndjson"});
  EXPECT_EQ(result.exit_code, 4) << result;
  std::vector<JsonValue> results = Results(result);
  ASSERT_EQ(results.size(), 3u) << result;
  EXPECT_EQ(Num(results[1], "line"), 3);
  EXPECT_EQ(Str(results[1], "identity"), "u2.test");
  EXPECT_EQ(Str(results[1], "status"), "refused");
  EXPECT_THAT(Str(results[1], "error"),
              HasSubstr("line 3, column 12: not valid UTF-8 (byte 0xFF)"));
  EXPECT_EQ(Identities(), (std::vector<std::string>{"u1.test", "u3.test"}));

  std::string json = dir_.WriteFile(
      "p.json",
      "[{\"identity\": \"j1.test\", \"description\": \"\xc3(\"},\n"
      " {\"identity\": \"j2.test\"}]");
  result = Cli({"import-partners", json, "-o", "ndjson"});
  EXPECT_EQ(result.exit_code, 4) << result;
  results = Results(result);
  ASSERT_EQ(results.size(), 2u) << result;
  EXPECT_THAT(Str(results[0], "error"), HasSubstr("line 1, column 42"));
  EXPECT_EQ(Str(results[1], "status"), "created");
}

TEST_F(BadInputTest, AFourMegabyteIdentityIsOneRefusedRecord) {
  std::string path =
      WriteLarge("big.ndjson", "{\"identity\": \"a.test\"}\n{\"identity\": \"",
                 'x', 4 << 20, ".test\"}\n{\"identity\": \"c.test\"}\n");
  CliResult result = Cli({"import-partners", path, "-o", "ndjson"});
  EXPECT_EQ(result.exit_code, 4) << result;
  EXPECT_THAT(result.err, Not(HasSubstr("larger than max")));
  std::vector<JsonValue> results = Results(result);
  ASSERT_EQ(results.size(), 3u) << result.err;
  EXPECT_EQ(Num(results[1], "line"), 2);
  EXPECT_EQ(Str(results[1], "status"), "refused");
  EXPECT_THAT(Str(results[1], "error"), HasSubstr("longer than 1048576 bytes"));
  EXPECT_LT(Str(results[1], "identity").size(), 1024u);
  EXPECT_EQ(Identities(), (std::vector<std::string>{"a.test", "c.test"}));
}

// The CLI's memory stays bounded by the per-record limit whatever the
// input: a 20 MB line of commas, a 20 MB CSV field, a 20 MB JSON string.
TEST_F(BadInputTest, HugeFieldsAndLinesCostOnlyThePerRecordLimit) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "AddressSanitizer's shadow memory and quarantine make RSS "
                  "meaningless";
#endif
  if (::access("/usr/bin/time", X_OK) != 0) {
    GTEST_SKIP() << "/usr/bin/time is not installed";
  }
  constexpr std::size_t kHuge = 20 << 20;
  constexpr long kBoundKiB = 48 * 1024;
  struct Case {
    std::string name, head;
    char fill;
    std::string tail;
  };
  for (const Case& c : std::vector<Case>{
           {"commas.csv", "identity,description\na.test,x\n", ',', "\n"},
           {"field.csv", "identity,description\nb.test,\"", 'x', "\"\n"},
           {"field.json", "[{\"identity\": \"c.test\", \"description\": \"",
            'x', "\"}]"}}) {
    std::string path = WriteLarge(c.name, c.head, c.fill, kHuge, c.tail);
    CliResult result;
    long peak = ImportPeakKiB(path, &result);
    EXPECT_EQ(result.exit_code, 4) << c.name << "\n" << result.err;
    EXPECT_GT(peak, 0) << result.err;
    EXPECT_LT(peak, kBoundKiB) << c.name << ": the CLI's peak RSS";
    std::vector<JsonValue> results = Results(result);
    ASSERT_FALSE(results.empty()) << result.err;
    EXPECT_EQ(Str(results.back(), "status"), "refused") << c.name;
  }
}

TEST_F(BadInputTest, BidiControlsInADescriptionAreRefusedAndShown) {
  CliResult result =
      Cli({"new-partner", "d.test", "--description", "invoice\u202Efdp.exe"});
  EXPECT_EQ(result.exit_code, 1) << result;
  EXPECT_THAT(result.err, HasSubstr("description=invoice<U+202E>fdp.exe: "
                                    "bidirectional formatting characters"));
  EXPECT_TRUE(PartnerMissing("d.test"));
}

TEST_F(BadInputTest, EmptyIdentitiesAndListElementsAreUsageErrors) {
  NewPartner("a.test");
  EXPECT_EQ(Cli({"get-partner", ""}).exit_code, 2);
  EXPECT_EQ(Cli({"get-session", "--partner", ""}).exit_code, 2);
  CliResult list = Cli(
      {"new-partner", "b.test", "--additional-domains", "a.b.test,,c.test"});
  EXPECT_EQ(list.exit_code, 2) << list;
  EXPECT_THAT(list.err, HasSubstr("has an empty domain between commas"));
  EXPECT_TRUE(PartnerMissing("b.test"));
}

TEST_F(BadInputTest, ConnectionLimitIsTheAgentsRangeInTheCli) {
  CliResult result =
      Cli({"new-partner", "b.test", "--connection-limit", "100001"});
  EXPECT_EQ(result.exit_code, 2) << result;
  EXPECT_THAT(result.err, HasSubstr("from 0 to 100000"));
  CliResult help = Cli({"new-partner", "--help"});
  EXPECT_THAT(help.out, HasSubstr("0 to 100000"));
  EXPECT_THAT(help.out, Not(HasSubstr("4294967295")));
}

TEST_F(BadInputTest, ADomainAddedAndRemovedAtOnceIsRefused) {
  NewPartner("a.test");
  CliResult result = Cli({"set-partner", "a.test", "--add-additional-domains",
                          "x.test", "--remove-additional-domains", "x.test"});
  EXPECT_EQ(result.exit_code, 1) << result;
  EXPECT_THAT(result.err, HasSubstr("x.test is both added and removed"));
}

TEST(BadInputAgentTest, TheStoreThroughASymbolicLinkIsStillLocked) {
  TempDir dir("badinput");
  AgentProcess agent(dir.path());
  ASSERT_TRUE(agent.Start());
  std::filesystem::create_directory_symlink(dir.path(), dir.File("alias"));
  RunOptions options;
  options.unset_env = {"XMPPFED_SOCKET", "NOTIFY_SOCKET"};
  ProcessResult second =
      RunProcess(AgentBinary(),
                 AgentBaseArgs(dir.File("second.sock"),
                               "sqlite:" + dir.File("alias") + "/xmppfed.db"),
                 options);
  EXPECT_EQ(second.status.ExitCodeOrMinusOne(), 69) << second.err;
  EXPECT_THAT(second.err, HasSubstr("is in use by another xmppfed-agent (pid " +
                                    std::to_string(agent.pid()) + ")"));
  EXPECT_EQ(agent.Terminate().code, 0);
}

TEST(BadInputAgentTest, NewSocketDirectoriesLetTheGroupThrough) {
  TempDir dir("badinput");
  std::string socket = dir.File("run/xmppfed/agent.sock");
  RunOptions options;
  options.unset_env = {"XMPPFED_SOCKET", "NOTIFY_SOCKET"};
  std::string error;
  pid_t pid = StartBackground(
      AgentBinary(), AgentBaseArgs(socket, "sqlite:" + dir.File("xmppfed.db")),
      "", dir.File("agent.log"), options, &error);
  ASSERT_GT(pid, 0) << error;
  for (int i = 0; i < 1000 && !SocketAcceptsConnections(socket); ++i) {
    ASSERT_FALSE(PollExit(pid).has_value())
        << ReadFileOrEmpty(dir.File("agent.log"));
    ::usleep(10000);
  }
  EXPECT_TRUE(SocketAcceptsConnections(socket))
      << ReadFileOrEmpty(dir.File("agent.log"));
  for (const std::string& path : {dir.File("run"), dir.File("run/xmppfed")}) {
    struct stat info;
    ASSERT_EQ(::stat(path.c_str(), &info), 0) << path;
    EXPECT_EQ(info.st_mode & 07777, 0750u) << path;
  }
  ::kill(pid, SIGTERM);
  std::optional<ExitStatus> status = WaitForExit(pid, std::chrono::seconds(20));
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->ExitCodeOrMinusOne(), 0);
}

}  // namespace
}  // namespace xmppfed::testing
