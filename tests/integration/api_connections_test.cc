// The API's own accept loop against the real agent: a user cannot hold more
// than its share of connections, and when the agent runs out of file
// descriptors `get-agent` still answers, during and after.
//
// The connections are held by a child process running as a uid without a
// role (no passwd entry, gid 0 so that the socket, root:root 0660, lets it
// connect): the agent identifies it by SO_PEERCRED like any caller.
#include <dirent.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "tests/integration/agent_fixture.h"
#include "tests/support/held_connections.h"

namespace xmppfed::testing {
namespace {

constexpr uid_t kStrangerUid = 54321;

class ApiConnectionsTest : public AgentTest {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) {
      GTEST_SKIP() << "needs root: a child process changes its uid";
    }
    AgentTest::SetUp();
    // Others than root reach the socket through the group (gid 0).
    ASSERT_EQ(::chmod(dir_.path().c_str(), 0750), 0);
  }

  int OpenDescriptors() const {
    int count = 0;
    std::string dir = "/proc/" + std::to_string(agent_->pid()) + "/fd";
    if (DIR* fds = ::opendir(dir.c_str())) {
      while (dirent* entry = ::readdir(fds)) {
        if (entry->d_name[0] != '.') ++count;
      }
      ::closedir(fds);
    }
    return count;
  }

  // How many times `text` occurs in the agent's log.
  int LogCount(const std::string& text) const {
    std::string log = agent_->Log();
    int count = 0;
    for (size_t at = log.find(text); at != std::string::npos;
         at = log.find(text, at + 1)) {
      ++count;
    }
    return count;
  }

  bool WaitForLog(const std::string& text) const {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      if (LogCount(text) > 0) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  // get-agent as root, expected to answer.
  void ExpectGetAgentAnswers(const char* when) {
    CliResult result = Cli({"get-agent", "-o", "json"});
    EXPECT_EQ(result.exit_code, 0) << when << "\n" << result;
  }
};

TEST_F(ApiConnectionsTest, OutOfDescriptorsGetAgentAnswersDuringAndAfter) {
  // A few descriptors over what the idle agent holds: the stranger's
  // connections use them up.
  rlimit limit{};
  limit.rlim_cur = limit.rlim_max = static_cast<rlim_t>(OpenDescriptors() + 12);
  ASSERT_EQ(::prlimit(agent_->pid(), RLIMIT_NOFILE, &limit, nullptr), 0);

  std::unique_ptr<HeldConnections> held =
      HeldConnections::Open(agent_->socket_path(), kStrangerUid, 0, 40);
  ASSERT_NE(held, nullptr);
  ASSERT_TRUE(WaitForLog("api.refusing")) << agent_->Log();

  ExpectGetAgentAnswers("while out of descriptors");
  ExpectGetAgentAnswers("again, while out of descriptors");
  // The store keeps its descriptors: a change is still made durable.
  CliResult created = Cli({"new-partner", "during.example.com"});
  EXPECT_EQ(created.exit_code, 0) << created;

  held.reset();
  ExpectGetAgentAnswers("after the connections closed");
  EXPECT_EQ(Str(GetPartner("during.example.com"), "identity"),
            "during.example.com");
  EXPECT_TRUE(WaitForLog("api.accepting")) << agent_->Log();
  EXPECT_EQ(LogCount("api.refusing"), 1) << agent_->Log();
  EXPECT_EQ(LogCount("api.accepting"), 1) << agent_->Log();
}

TEST_F(ApiConnectionsTest, OneUserCannotHoldMoreThanItsShare) {
  std::unique_ptr<HeldConnections> held =
      HeldConnections::Open(agent_->socket_path(), kStrangerUid, 0, 70);
  ASSERT_NE(held, nullptr);
  EXPECT_EQ(held->connected(), 70);
  ASSERT_TRUE(WaitForLog("api.connection.refused")) << agent_->Log();
  EXPECT_EQ(LogCount("api.connection.refused"), 1) << agent_->Log();
  EXPECT_NE(agent_->Log().find("uid=54321 reason=\"the user holds 64 "
                               "connections, the most one user may\""),
            std::string::npos)
      << agent_->Log();
  // Others are not affected.
  ExpectGetAgentAnswers("while one user holds its share");
}

}  // namespace
}  // namespace xmppfed::testing
