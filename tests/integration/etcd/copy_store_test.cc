// xmppfed-agent --copy-store: an edge's SQLite store moved into etcd (where
// a pool's agent serves it) and back, everything listed the same.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/agent_process.h"
#include "tests/support/cli.h"
#include "tests/support/etcd_cluster.h"
#include "tests/support/json.h"
#include "tests/support/temp_dir.h"

namespace xmppfed::testing {
namespace {

using ::testing::HasSubstr;

class CopyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EtcdClusterOptions options;
    options.members = 1;
    cluster_ = std::make_unique<EtcdCluster>(etcd_dir_.path(), options);
    ASSERT_TRUE(cluster_->Start());
  }

  // An agent (listeners off) in a directory of its own, on `store_uri`
  // ("": an SQLite store in that directory).
  std::unique_ptr<AgentProcess> StartAgent(const std::string& store_uri) {
    dirs_.push_back(std::make_unique<TempDir>());
    auto agent = std::make_unique<AgentProcess>(dirs_.back()->path());
    agent->ReplaceArgs(
        AgentBaseArgs(agent->socket_path(),
                      store_uri.empty() ? agent->store_uri() : store_uri));
    EXPECT_TRUE(agent->Start());
    return agent;
  }

  ProcessResult Copy(const std::string& from, const std::string& to) {
    return RunProcess(AgentBinary(), {"--copy-store", from, to});
  }

  static std::string Listing(const AgentProcess& agent) {
    CliResult listed =
        RunCli({"get-partner", "-o", "json"}, agent.socket_path());
    EXPECT_EQ(listed.exit_code, 0) << listed;
    return listed.out;
  }

  TempDir etcd_dir_{"copy-etcd"};
  std::unique_ptr<EtcdCluster> cluster_;
  std::vector<std::unique_ptr<TempDir>> dirs_;
};

TEST_F(CopyStoreTest, AnSqliteStoreMovesIntoEtcdAndBack) {
  std::unique_ptr<AgentProcess> edge = StartAgent("");
  for (std::vector<std::string> args :
       {std::vector<std::string>{"new-partner", "a.com", "--quiet"},
        {"new-partner", "b.com", "--additional-domains", "b.net", "--quiet"},
        {"set-partner", "b.com", "--description", "changed", "--quiet"},
        {"set-gateway-config", "--connection-limit", "77", "--quiet"}}) {
    CliResult done = RunCli(args, edge->socket_path());
    ASSERT_EQ(done.exit_code, 0) << done;
  }
  std::string before = Listing(*edge);
  ASSERT_EQ(edge->Terminate().code, 0);

  std::string etcd_uri = cluster_->Uri("moved");
  ProcessResult there = Copy(edge->store_uri(), etcd_uri);
  ASSERT_EQ(there.status.ExitCodeOrMinusOne(), 0) << there.err;
  EXPECT_THAT(there.out,
              HasSubstr("copied 2 partners (0 already there), the gateway "
                        "settings, the dialback passphrase and 0 invitations"));

  std::unique_ptr<AgentProcess> pool = StartAgent(etcd_uri);
  EXPECT_EQ(Listing(*pool), before);
  CliResult config =
      RunCli({"get-gateway-config", "-o", "json"}, pool->socket_path());
  JsonValue settings;
  ASSERT_TRUE(ParseJson(config.out, &settings)) << config;
  EXPECT_EQ(Num(settings, "connectionLimit"), 77);
  ASSERT_EQ(pool->Terminate().code, 0);

  // Run again: nothing to do, nothing refused.
  ProcessResult again = Copy(edge->store_uri(), etcd_uri);
  ASSERT_EQ(again.status.ExitCodeOrMinusOne(), 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("copied 0 partners (2 already there)"));

  dirs_.push_back(std::make_unique<TempDir>());
  std::string home = "sqlite:" + dirs_.back()->File("back.db");
  ProcessResult back = Copy(etcd_uri, home);
  ASSERT_EQ(back.status.ExitCodeOrMinusOne(), 0) << back.err;
  std::unique_ptr<AgentProcess> returned = StartAgent(home);
  EXPECT_EQ(Listing(*returned), before);
}

TEST_F(CopyStoreTest, ATargetHoldingOtherPartnersIsRefused) {
  std::string source = cluster_->Uri("source");
  std::string target = cluster_->Uri("target");
  std::unique_ptr<AgentProcess> agent = StartAgent(target);
  ASSERT_EQ(
      RunCli({"new-partner", "other.com", "--quiet"}, agent->socket_path())
          .exit_code,
      0);
  ASSERT_EQ(agent->Terminate().code, 0);

  ProcessResult refused = Copy(source, target);
  EXPECT_EQ(refused.status.ExitCodeOrMinusOne(), 1) << refused.err;
  EXPECT_THAT(refused.err, HasSubstr("already holds partner other.com"));
}

TEST_F(CopyStoreTest, AnUnreachableStoreIsExit69NamingIt) {
  std::string down = "etcd://127.0.0.1:1/x";
  ProcessResult failed = Copy(down, cluster_->Uri("target"));
  EXPECT_EQ(failed.status.ExitCodeOrMinusOne(), 69) << failed.err;
  EXPECT_THAT(failed.err, HasSubstr("the etcd store at 127.0.0.1:1"));
}

}  // namespace
}  // namespace xmppfed::testing
