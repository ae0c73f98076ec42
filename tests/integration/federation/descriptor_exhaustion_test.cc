// Running out of file descriptors (issue 11): an attacker holds more
// connections to the S2S port than the process may open. The edge keeps a
// reserve for the rest of the agent, refuses what it cannot hold with
// <resource-constraint/> instead of a reset, pauses its listener rather than
// spinning on it, and the management API and the store keep working; once
// the attacker lets go, the real partner federates again.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include "tests/integration/federation/federation_fixture.h"
#include "tests/support/hostile_peers.h"

namespace xmppfed::testing {
namespace {

using Clock = std::chrono::steady_clock;

class DescriptorExhaustionTest : public FederationTest {
 protected:
  void SetUp() override {
    FederationTest::SetUp();
    StartAgent(example_, partner_.certificates.ca_cert);
    StartAgent(partner_, example_.certificates.ca_cert);
    AddPartner(example_, partner_, {"--partner-type", "Federated"});
    AddPartner(partner_, example_, {"--partner-type", "Federated"});
    ConnectGateway(example_);
    ConnectGateway(partner_);
  }
};

TEST_F(DescriptorExhaustionTest, EdgeRefusesWithStreamErrorAndApiSurvives) {
  // Budgets far above the descriptors: only the descriptor limit refuses.
  CliResult set =
      partner_.Cli({"set-gateway-config", "--connection-limit", "5000",
                    "--unauthenticated-stream-limit", "5000",
                    "--unauthenticated-streams-per-address", "5000"});
  ASSERT_EQ(set.exit_code, 0) << set;
  pid_t agent = partner_.agent->pid();
  int fds_before = CountOpenDescriptors(agent);
  ASSERT_GT(fds_before, 0);
  rlimit limit{};
  limit.rlim_cur = limit.rlim_max = static_cast<rlim_t>(fds_before + 80);
  ASSERT_EQ(::prlimit(agent, RLIMIT_NOFILE, &limit, nullptr), 0);

  HostileConnections::Options idle;
  idle.count = 200;
  auto attack = HostileConnections::Open(partner_.s2s_port, idle);
  ASSERT_TRUE(WaitForLog(partner_, "edge.refusing")) << partner_.agent->Log();
  EXPECT_TRUE(Eventually([&] {
    attack->StillOpen();
    return attack->received().find("resource-constraint") != std::string::npos;
  })) << attack->received().substr(0, 500);
  // The edge leaves its reserve (16 here) to the rest of the agent, which
  // may be using a few of them right now.
  EXPECT_LE(CountOpenDescriptors(agent), fds_before + 80 - 8);

  // Paused, not polling a listener that stays readable.
  double cpu_before = CpuSeconds(agent);
  std::this_thread::sleep_for(std::chrono::seconds(1));
  EXPECT_LT(CpuSeconds(agent) - cpu_before, 0.5) << "the agent spins";

  // The API and the store keep their descriptors.
  CliResult info = partner_.Cli({"get-agent", "-o", "json"});
  EXPECT_EQ(info.exit_code, 0) << info;
  CliResult created = partner_.Cli({"new-partner", "during.example.com"});
  EXPECT_EQ(created.exit_code, 0) << created;

  attack.reset();
  EXPECT_TRUE(Eventually([&] {
    return CountOpenDescriptors(agent) <= fds_before + 4;
  })) << CountOpenDescriptors(agent)
      << " descriptors, " << fds_before << " before the attack";
  // "edge.accepting" needs a quiet second after the last refusal.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_NE(Relay(example_, partner_, "after-the-exhaustion"), "")
      << partner_.agent->Log();
  EXPECT_TRUE(WaitForLog(partner_, "edge.accepting")) << partner_.agent->Log();
  std::string log = partner_.agent->Log();
  size_t first = log.find("edge.refusing");
  EXPECT_EQ(log.find("edge.refusing", first + 1), std::string::npos)
      << "logged once per episode\n"
      << log;
}

}  // namespace
}  // namespace xmppfed::testing
