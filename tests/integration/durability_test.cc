// "Never loses an acknowledged change" (SPEC §6): what the CLI acknowledged
// (exit 0) is there after a clean restart and after kill -9.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/agent_fixture.h"

namespace xmppfed::testing {
namespace {

using ::testing::ContainerEq;

#ifdef XMPPFED_SANITIZED_BUILD
// Each CLI call is an order of magnitude slower under the sanitizers; what
// is checked does not depend on the count.
constexpr int kBurst = 32;
#else
constexpr int kBurst = 120;
#endif

std::string Name(const std::string& prefix, int i) {
  char buffer[16];
  std::snprintf(buffer, sizeof(buffer), "%04d", i);
  return prefix + buffer + ".example";
}

class DurabilityTest : public AgentTest {
 protected:
  // get-partner -o ndjson: every partner, one object per line.
  std::vector<JsonValue> AllPartners() {
    CliResult result = Cli({"get-partner", "-o", "ndjson"});
    EXPECT_EQ(result.exit_code, 0) << result;
    std::vector<JsonValue> partners;
    EXPECT_TRUE(ParseNdjson(result.out, &partners)) << result;
    return partners;
  }

  std::set<std::string> IdentitySet() {
    std::set<std::string> identities;
    for (const JsonValue& partner : AllPartners()) {
      identities.insert(Str(partner, "identity"));
    }
    return identities;
  }

  // kill -9 right after the last acknowledgement, then start again.
  void CrashAndRestart() {
    ExitStatus status = agent_->Kill();
    ASSERT_EQ(status.signal, SIGKILL) << status;
    ASSERT_TRUE(agent_->Start());
  }
};

TEST_F(DurabilityTest, CleanRestartKeepsEverythingWithTheSameRevisions) {
  NewPartner("fabrikam.com",
             {"--description", "Fabrikam", "--additional-domains",
              "chat.fabrikam.com", "--partner-type", "Federated",
              "--sasl-negotiation", "Optional", "--connection-limit", "3"});
  NewPartner("contoso.com", {"--tls-negotiation", "Optional",
                             "--sasl-negotiation", "NotSupported"});
  NewPartner("bücher.example", {});
  for (const char* description : {"one", "two", "three"}) {
    CliResult result =
        Cli({"set-partner", "contoso.com", "--description", description});
    ASSERT_EQ(result.exit_code, 0) << result;
  }
  CliResult result = Cli({"set-gateway-config", "--connection-limit", "77"});
  ASSERT_EQ(result.exit_code, 0) << result;

  JsonValue partners = CliJson({"get-partner"});
  JsonValue gateway = CliJson({"get-gateway-config"});
  ASSERT_EQ(Elements(partners).size(), 3u);
  ASSERT_TRUE(agent_->Restart());
  EXPECT_EQ(ToJson(CliJson({"get-partner"})), ToJson(partners));
  EXPECT_EQ(ToJson(CliJson({"get-gateway-config"})), ToJson(gateway));
  EXPECT_EQ(Num(GetPartner("contoso.com"), "revision"), 4);
  EXPECT_EQ(Num(CliJson({"get-agent"}), "partnerCount"), 3);
}

TEST_F(DurabilityTest, AcknowledgedCreatesSurviveKill9) {
  std::set<std::string> acknowledged;
  for (int i = 0; i < kBurst; ++i) {
    std::string identity = Name("p", i);
    CliResult result = Cli({"new-partner", identity, "--sasl-negotiation",
                            "Optional", "-o", "json"});
    ASSERT_EQ(result.exit_code, 0) << result;
    acknowledged.insert(identity);
  }
  CrashAndRestart();
  std::vector<JsonValue> partners = AllPartners();
  EXPECT_EQ(partners.size(), acknowledged.size());
  EXPECT_THAT(IdentitySet(), ContainerEq(acknowledged));
}

TEST_F(DurabilityTest, ConcurrentAcknowledgedCreatesSurviveKill9) {
  constexpr int kThreads = 4;
  std::vector<std::vector<std::string>> acknowledged(kThreads);
  std::vector<std::string> failures(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kBurst / kThreads; ++i) {
        std::string identity = Name("t" + std::to_string(t) + "-", i);
        CliResult result =
            Cli({"new-partner", identity, "--sasl-negotiation", "Optional"});
        if (result.exit_code != 0) {
          std::ostringstream message;
          message << result;
          failures[t] = message.str();
          return;
        }
        acknowledged[t].push_back(identity);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CrashAndRestart();
  std::set<std::string> expected;
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(failures[t], "");
    expected.insert(acknowledged[t].begin(), acknowledged[t].end());
  }
  EXPECT_EQ(expected.size(), static_cast<size_t>(kBurst));
  EXPECT_THAT(IdentitySet(), ContainerEq(expected));
}

TEST_F(DurabilityTest, AcknowledgedSetsSurviveKill9) {
  for (int i = 0; i < kBurst; ++i) {
    NewPartner(Name("s", i), {"--sasl-negotiation", "Optional"});
  }
  // A clean restart in between: the sets below are the last thing written.
  ASSERT_TRUE(agent_->Restart());
  for (int i = 0; i < kBurst; ++i) {
    CliResult result = Cli({"set-partner", Name("s", i), "--description",
                            "changed " + std::to_string(i),
                            "--connection-limit", std::to_string(i + 1)});
    ASSERT_EQ(result.exit_code, 0) << result;
  }
  CrashAndRestart();
  std::vector<JsonValue> partners = AllPartners();
  ASSERT_EQ(partners.size(), static_cast<size_t>(kBurst));
  for (int i = 0; i < kBurst; ++i) {
    const JsonValue& partner = partners[i];
    EXPECT_EQ(Str(partner, "identity"), Name("s", i));
    EXPECT_EQ(Str(partner, "description"), "changed " + std::to_string(i));
    EXPECT_EQ(Num(partner, "connectionLimit"), i + 1);
    EXPECT_EQ(Num(partner, "revision"), 2);
  }
}

TEST_F(DurabilityTest, AcknowledgedRemovesSurviveKill9) {
  for (int i = 0; i < kBurst; ++i) {
    NewPartner(Name("r", i), {"--sasl-negotiation", "Optional"});
  }
  ASSERT_TRUE(agent_->Restart());
  std::set<std::string> kept;
  for (int i = 0; i < kBurst; ++i) {
    if (i % 3 == 0) {
      kept.insert(Name("r", i));
      continue;
    }
    CliResult result = Cli({"remove-partner", "--force", Name("r", i)});
    ASSERT_EQ(result.exit_code, 0) << result;
  }
  CrashAndRestart();
  EXPECT_THAT(IdentitySet(), ContainerEq(kept));
  EXPECT_EQ(Num(CliJson({"get-agent"}), "partnerCount"),
            static_cast<double>(kept.size()));
}

TEST_F(DurabilityTest, AcknowledgedGatewayChangeSurvivesKill9) {
  CliResult result =
      Cli({"set-gateway-config", "--max-stanza-size", "65536",
           "--dialback-passphrase", "a-passphrase-of-sufficient-length"});
  ASSERT_EQ(result.exit_code, 0) << result;
  JsonValue expected = CliJson({"get-gateway-config"});
  CrashAndRestart();
  EXPECT_EQ(ToJson(CliJson({"get-gateway-config"})), ToJson(expected));
  EXPECT_EQ(Num(expected, "maxStanzaSize"), 65536);
}

TEST_F(DurabilityTest, MixedBurstThenKill9) {
  // Creates, sets and removes interleaved; the final state is what counts.
  std::set<std::string> expected;
  for (int i = 0; i < kBurst; ++i) {
    std::string identity = Name("m", i);
    NewPartner(identity, {"--sasl-negotiation", "Optional"});
    expected.insert(identity);
    if (i % 4 == 1) {
      CliResult result =
          Cli({"set-partner", identity, "--description", "edited"});
      ASSERT_EQ(result.exit_code, 0) << result;
    }
    if (i % 5 == 2) {
      CliResult result = Cli({"remove-partner", "--force", identity});
      ASSERT_EQ(result.exit_code, 0) << result;
      expected.erase(identity);
    }
  }
  CrashAndRestart();
  EXPECT_THAT(IdentitySet(), ContainerEq(expected));
  for (const JsonValue& partner : AllPartners()) {
    int i = std::stoi(Str(partner, "identity").substr(1, 4));
    EXPECT_EQ(Str(partner, "description"), i % 4 == 1 ? "edited" : "")
        << Str(partner, "identity");
    EXPECT_EQ(Num(partner, "revision"), i % 4 == 1 ? 2 : 1);
  }
}

}  // namespace
}  // namespace xmppfed::testing
