// Several agents, one configuration: changes made through one node are
// seen and enforced by the others, dialback keys of one node verify
// through another, and losing etcd's leader or every member is a
// non-event for what was acknowledged and for federation.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "tests/integration/etcd/pool_fixture.h"

namespace xmppfed::testing {
namespace {

using ::testing::HasSubstr;

std::vector<std::string> Identities(const CliResult& listing) {
  JsonValue list;
  EXPECT_TRUE(ParseJson(listing.out, &list)) << listing;
  std::vector<std::string> identities;
  for (const JsonValue& partner : Elements(list)) {
    identities.push_back(Str(partner, "identity"));
  }
  return identities;
}

TEST_F(PoolTest, ARemovalThroughOneNodeClosesTheOtherNodesStreamWithinASecond) {
  ASSERT_NO_FATAL_FAILURE(StartPool());
  ASSERT_NO_FATAL_FAILURE(FederateWithDialback());
  // Stored through node 1, known to node 2 at once.
  CliResult seen = node2().Cli({"get-partner", "partner.test", "-o", "json"});
  ASSERT_EQ(seen.exit_code, 0) << seen;
  // Node 2 opens a stream to partner.test.
  ASSERT_NE(Relay(node2(), partner_, "before"), "") << node2().agent->Log();
  bool streaming = false;
  for (const JsonValue& session : Sessions(node2())) {
    streaming = streaming || Str(session, "partner") == "partner.test";
  }
  ASSERT_TRUE(streaming) << node2().agent->Log();

  CliResult removed =
      node1().Cli({"remove-partner", "partner.test", "--force"});
  ASSERT_EQ(removed.exit_code, 0) << removed;

  std::optional<absl::Time> committed =
      WaitForLogTime(node1(), {"partner.removed", "identity=partner.test"});
  std::optional<absl::Time> closed = WaitForLogTime(
      node2(), {"s2s.outbound.close", "partner.test is no longer a partner"});
  ASSERT_TRUE(committed.has_value()) << node1().agent->Log();
  ASSERT_TRUE(closed.has_value()) << node2().agent->Log();
  EXPECT_LT(*closed - *committed, absl::Seconds(1))
      << "closed " << absl::ToDoubleMilliseconds(*closed - *committed)
      << " ms after the commit";
  CliResult gone = node2().Cli({"get-partner", "partner.test"});
  EXPECT_EQ(gone.exit_code, 3) << gone;
}

TEST_F(PoolTest, AChangeThroughOneNodeReachesTheOtherNodesPolicyWithinASecond) {
  ASSERT_NO_FATAL_FAILURE(StartPool());
  CliResult created = node1().Cli({"new-partner", "fabrikam.com", "--quiet"});
  ASSERT_EQ(created.exit_code, 0) << created;
  std::optional<absl::Time> committed =
      WaitForLogTime(node1(), {"partner.created", "identity=fabrikam.com"});
  std::optional<absl::Time> patched =
      WaitForLogTime(node2(), {"policy.patched", "upserted=1"});
  ASSERT_TRUE(committed.has_value() && patched.has_value())
      << node1().agent->Log() << node2().agent->Log();
  EXPECT_LT(*patched - *committed, absl::Seconds(1));
  CliResult listed = node2().Cli({"get-partner", "-o", "json"});
  ASSERT_EQ(listed.exit_code, 0) << listed;
  EXPECT_EQ(Identities(listed), std::vector<std::string>{"fabrikam.com"});
}

TEST_F(PoolTest, ADialbackKeyOfOneNodeIsVerifiedThroughTheOther) {
  ASSERT_NO_FATAL_FAILURE(StartPool());
  ASSERT_NO_FATAL_FAILURE(FederateWithDialback());

  // Node 2 opens the stream; partner.test checks its key with node 1, the
  // only address it has for example.test.
  ASSERT_NE(Relay(node2(), partner_, "dialback"), "")
      << node2().agent->Log() << partner_.agent->Log();
  EXPECT_TRUE(WaitForLogTime(node1(), {"s2s.dialback.verify", "valid=true"})
                  .has_value())
      << node1().agent->Log();
  bool dialback = false;
  for (const JsonValue& session : Sessions(node2())) {
    if (Str(session, "partner") == "partner.test") {
      dialback = Str(session, "auth") == "DialbackTls";
    }
  }
  EXPECT_TRUE(dialback) << node2().agent->Log();
}

TEST_F(PoolTest, KillingTheEtcdLeaderInABurstOfWritesLosesNoAcknowledgedOne) {
  ASSERT_NO_FATAL_FAILURE(StartPool());
  constexpr int kWrites = 40;
  std::vector<int> exit_codes(kWrites, -1);
  std::atomic<int> acknowledged{0};
  std::thread burst([&] {
    for (int i = 0; i < kWrites; ++i) {
      CliResult created = node1().Cli(
          {"new-partner", "p" + std::to_string(i) + ".example", "--quiet"});
      exit_codes[i] = created.exit_code;
      if (created.exit_code == 0) ++acknowledged;
    }
  });
  while (acknowledged.load() < 10) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  int leader = cluster_->Leader();
  ASSERT_GE(leader, 0);
  cluster_->Kill(leader);
  burst.join();

  CliResult listed = node2().Cli({"get-partner", "-o", "json"});
  ASSERT_EQ(listed.exit_code, 0) << listed;
  std::vector<std::string> stored = Identities(listed);
  for (int i = 0; i < kWrites; ++i) {
    std::string identity = "p" + std::to_string(i) + ".example";
    if (exit_codes[i] == 0) {
      EXPECT_THAT(stored, ::testing::Contains(identity));
    } else {
      // Refused during the election: the store was unreachable, not wrong.
      EXPECT_EQ(exit_codes[i], 69) << identity;
    }
  }
  EXPECT_GT(acknowledged.load(), kWrites / 2);
  // Writes go on under the new leader.
  CliResult after = node2().Cli({"new-partner", "after.example", "--quiet"});
  EXPECT_EQ(after.exit_code, 0) << after;
}

TEST_F(PoolTest, WithEveryMemberDownFederationGoesOnAndReadsAnswerFromMemory) {
  ASSERT_NO_FATAL_FAILURE(StartPool());
  ASSERT_NO_FATAL_FAILURE(FederateWithDialback());
  // partner.test answers over a stream of its own to node 1 (with XEP-0288
  // it would answer on node 2's stream, which serves example.test too).
  CliResult no_bidi = partner_.Cli(
      {"set-gateway-config", "--enable-bidirectional-streams", "false"});
  ASSERT_EQ(no_bidi.exit_code, 0) << no_bidi;
  ASSERT_NE(Relay(node2(), partner_, "before"), "");

  cluster_->KillAll();

  // A live stream, and a new one (partner.test to node 1, authenticated
  // from the policy in memory).
  EXPECT_NE(Relay(node2(), partner_, "during"), "") << node2().agent->Log();
  EXPECT_NE(Relay(partner_, node1(), "inbound"), "") << node1().agent->Log();

  CliResult read = node2().Cli({"get-partner", "-o", "json"});
  EXPECT_EQ(read.exit_code, 0) << read;
  EXPECT_EQ(Identities(read), std::vector<std::string>{"partner.test"});
  EXPECT_THAT(read.err, HasSubstr("the store is unreachable since"));
  EXPECT_THAT(read.err, HasSubstr("answered from this agent's copy"));
  // Tab completion too, within its fraction of a second.
  CliResult completed = node2().Cli({"__complete-identities", "part"});
  EXPECT_EQ(completed.exit_code, 0) << completed;
  EXPECT_EQ(completed.out, "partner.test\n") << completed;

  CliResult write = node2().Cli({"new-partner", "contoso.com"});
  EXPECT_EQ(write.exit_code, 69) << write;
  EXPECT_THAT(write.err, HasSubstr("the etcd store at " +
                                   cluster_->Endpoints() + " is unreachable"));
  CliResult agent = node1().Cli({"get-agent", "-o", "json"});
  ASSERT_EQ(agent.exit_code, 0) << agent;
  JsonValue info;
  ASSERT_TRUE(ParseJson(agent.out, &info));
  EXPECT_FALSE(Bool(info, "storeReachable"));
  EXPECT_NE(Str(info, "storeUnreachableSince"), "");

  // Back, and no agent restarted.
  ASSERT_TRUE(cluster_->RestartAll());
  CliResult again;
  for (int attempt = 0; attempt < 20; ++attempt) {
    again = node2().Cli({"new-partner", "contoso.com", "--quiet"});
    if (again.exit_code != 69) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  EXPECT_EQ(again.exit_code, 0) << again;
  CliResult fresh = node1().Cli({"get-partner", "contoso.com"});
  EXPECT_EQ(fresh.exit_code, 0) << fresh;
  EXPECT_EQ(fresh.err, "") << fresh;
}

TEST_F(PoolTest, TwoNodesCreatingOnePartnerAtOnceOneWins) {
  ASSERT_NO_FATAL_FAILURE(StartPool());
  for (int round = 0; round < 5; ++round) {
    std::string identity = "race" + std::to_string(round) + ".example";
    CliResult first;
    CliResult second;
    std::thread racer([&] {
      first = node1().Cli({"new-partner", identity, "--quiet"});
    });
    second = node2().Cli({"new-partner", identity, "--quiet"});
    racer.join();

    ASSERT_TRUE((first.exit_code == 0) != (second.exit_code == 0))
        << first << second;
    const CliResult& lost = first.exit_code == 0 ? second : first;
    EXPECT_EQ(lost.exit_code, 1) << lost;
    EXPECT_THAT(lost.err,
                HasSubstr("identity=" + identity + ": is already a partner"));
  }
  // Two partners claiming one domain: the loser is told who owns it.
  CliResult left;
  CliResult right;
  std::thread racer([&] {
    left = node1().Cli({"new-partner", "left.example", "--additional-domains",
                        "shared.example", "--quiet"});
  });
  right = node2().Cli({"new-partner", "right.example", "--additional-domains",
                       "shared.example", "--quiet"});
  racer.join();
  ASSERT_TRUE((left.exit_code == 0) != (right.exit_code == 0)) << left << right;
  const CliResult& lost = left.exit_code == 0 ? right : left;
  std::string winner = left.exit_code == 0 ? "left.example" : "right.example";
  EXPECT_THAT(lost.err, HasSubstr("already belongs to partner " + winner));
}

TEST_F(PoolTest, GetNodeListsTheRunningNodesAndTheirStreams) {
  ASSERT_NO_FATAL_FAILURE(StartPool());
  ASSERT_NO_FATAL_FAILURE(FederateWithDialback());
  CliResult nodes = node1().Cli({"get-node", "-o", "json"});
  ASSERT_EQ(nodes.exit_code, 0) << nodes;
  JsonValue list;
  ASSERT_TRUE(ParseJson(nodes.out, &list));
  ASSERT_EQ(Elements(list).size(), 2u) << nodes.out;
  for (const JsonValue& node : Elements(list)) {
    EXPECT_EQ(Keys(node), (std::vector<std::string>{
                              "hostName", "id", "lastSeen", "listeners",
                              "liveStreams", "startedAt", "version"}));
  }

  // Node 2's live stream shows in its record within a refresh or two.
  ASSERT_NE(Relay(node2(), partner_, "count me"), "");
  std::string node2_api = "unix:" + node2().agent->socket_path();
  double streams = -1;
  for (int attempt = 0; attempt < 50 && streams < 1; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CliResult again = node1().Cli({"get-node", "-o", "json"});
    JsonValue listed;
    if (again.exit_code != 0 || !ParseJson(again.out, &listed)) continue;
    for (const JsonValue& node : Elements(listed)) {
      for (const JsonValue& listener : Elements(*Member(node, "listeners"))) {
        if (Str(listener, "address") == node2_api) {
          streams = Num(node, "liveStreams");
        }
      }
    }
  }
  EXPECT_EQ(streams, 1);

  // A node that stops leaves the list at once.
  ExitStatus stopped = node2().agent->Terminate();
  ASSERT_TRUE(stopped.exited && stopped.code == 0) << node2().agent->Log();
  CliResult after = node1().Cli({"get-node", "-o", "json"});
  ASSERT_TRUE(ParseJson(after.out, &list)) << after;
  EXPECT_EQ(Elements(list).size(), 1u) << after.out;
}

}  // namespace
}  // namespace xmppfed::testing
