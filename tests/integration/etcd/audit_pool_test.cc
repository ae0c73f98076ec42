// The audit log of a pool: one log for every node, an entry written through
// one node listed by another with its caller and field changes (an
// import's one entry too, over several etcd transactions), and each entry
// committed with its change, so a kill -9 of the node that made them right
// after they were acknowledged keeps both.
#include <pwd.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "tests/integration/etcd/pool_fixture.h"

namespace xmppfed::testing {
namespace {

using ::testing::ElementsAre;

// "field: old -> new" for each change of an entry, "null" for none.
std::vector<std::string> Changes(const JsonValue& entry) {
  std::vector<std::string> out;
  const JsonValue* changes = Member(entry, "changes");
  if (changes == nullptr) return out;
  for (const JsonValue& change : Elements(*changes)) {
    auto text = [&](const char* key) {
      const JsonValue* value = Member(change, key);
      return value == nullptr || value->has_null_value() ? "null"
                                                         : Str(change, key);
    };
    out.push_back(Str(change, "field") + ": " + text("old") + " -> " +
                  text("new"));
  }
  return out;
}

std::vector<JsonValue> AuditLog(const Site& site,
                                const std::vector<std::string>& filters) {
  std::vector<std::string> args = {"get-audit-log", "-o", "json"};
  args.insert(args.end(), filters.begin(), filters.end());
  CliResult listed = site.Cli(args);
  EXPECT_EQ(listed.exit_code, 0) << listed;
  JsonValue log;
  EXPECT_TRUE(ParseJson(listed.out, &log)) << listed;
  return Elements(log);
}

// The stored partner `identity` as `site` lists it (an empty object when
// it is not there).
JsonValue StoredPartner(const Site& site, const std::string& identity) {
  CliResult listed = site.Cli({"get-partner", "-o", "json"});
  EXPECT_EQ(listed.exit_code, 0) << listed;
  JsonValue list;
  EXPECT_TRUE(ParseJson(listed.out, &list)) << listed;
  for (const JsonValue& partner : Elements(list)) {
    if (Str(partner, "identity") == identity) return partner;
  }
  return JsonValue();
}

std::string UserName() {
  struct passwd* user = ::getpwuid(::getuid());
  return user != nullptr ? user->pw_name : std::to_string(::getuid());
}

TEST_F(PoolTest, AChangeThroughOneNodeIsInTheOtherNodesAuditLog) {
  ASSERT_NO_FATAL_FAILURE(StartPool());
  CliResult created = node1().Cli(
      {"new-partner", "contoso.com", "--description", "Initial", "--quiet"});
  ASSERT_EQ(created.exit_code, 0) << created;
  CliResult set =
      node1().Cli({"set-partner", "contoso.com", "--description", "Contoso",
                   "--connection-limit", "5", "--quiet"});
  ASSERT_EQ(set.exit_code, 0) << set;

  std::vector<JsonValue> log = AuditLog(node2(), {"--identity", "contoso.com"});
  ASSERT_EQ(log.size(), 2u) << node2().Cli({"get-audit-log"}).out;
  const JsonValue& changed = log[0];
  EXPECT_EQ(Str(changed, "verb"), "set-partner");
  EXPECT_EQ(Str(changed, "result"), "ok");
  EXPECT_THAT(StrList(changed, "identities"), ElementsAre("contoso.com"));
  const JsonValue* caller = Member(changed, "caller");
  ASSERT_NE(caller, nullptr);
  EXPECT_EQ(Str(*caller, "user"), UserName());
  EXPECT_EQ(Num(*caller, "uid"), ::getuid());
  EXPECT_GT(Num(*caller, "pid"), 0);
  EXPECT_THAT(Changes(changed), ElementsAre("description: Initial -> Contoso",
                                            "connectionLimit: 0 -> 5"));
  EXPECT_EQ(Str(log[1], "verb"), "new-partner");

  // Filters apply on the other node's listing too.
  EXPECT_EQ(AuditLog(node2(), {"--verb", "set-partner", "--caller",
                               std::to_string(::getuid())})
                .size(),
            1u);
  // A refusal through node 2 joins the same log.
  EXPECT_EQ(node2().Cli({"new-partner", "contoso.com"}).exit_code, 1);
  std::vector<JsonValue> refused = AuditLog(node1(), {"--result", "refused"});
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(Str(refused[0], "verb"), "new-partner");
}

// An import spread over several etcd transactions keeps one entry, brought
// up to date in each of them.
TEST_F(PoolTest, AnImportOverSeveralTransactionsHasOneEntry) {
  ASSERT_NO_FATAL_FAILURE(StartPool());
  constexpr int kPartners = 150;  // a transaction holds 63
  std::string records;
  for (int i = 0; i < kPartners; ++i) {
    records += "{\"identity\":\"p" + std::to_string(i) + ".example\"}\n";
  }
  CliResult imported =
      RunCli({"import-partners", "-", "--format", "ndjson", "--quiet"},
             node1().agent->socket_path(), records);
  ASSERT_EQ(imported.exit_code, 0) << imported;

  std::vector<JsonValue> log = AuditLog(node2(), {"--verb", "import-partners"});
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(StrList(log[0], "identities").size(),
            static_cast<size_t>(kPartners));
  EXPECT_THAT(Changes(log[0]), ::testing::Contains("created: null -> " +
                                                   std::to_string(kPartners)));
  EXPECT_EQ(Str(log[0], "result"), "ok");
}

TEST_F(PoolTest, KillNineRightAfterChangesKeepsEachChangeWithItsEntry) {
  ASSERT_NO_FATAL_FAILURE(StartPool());
  CliResult created = node1().Cli({"new-partner", "contoso.com", "--quiet"});
  ASSERT_EQ(created.exit_code, 0) << created;

  std::mutex mutex;
  std::set<std::string> acknowledged;
  std::atomic<int> done{0};
  std::thread burst([&] {
    for (int i = 0;; ++i) {
      std::string description = "description " + std::to_string(i);
      CliResult set = node1().Cli({"set-partner", "contoso.com",
                                   "--description", description, "--quiet"});
      if (set.exit_code != 0) return;
      std::lock_guard<std::mutex> lock(mutex);
      acknowledged.insert(description);
      done.fetch_add(1);
    }
  });
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (done.load() < 10 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ExitStatus killed = node1().agent->Kill();
  burst.join();
  ASSERT_EQ(killed.signal, SIGKILL) << killed;
  ASSERT_GE(done.load(), 10);

  JsonValue partner = StoredPartner(node2(), "contoso.com");
  ASSERT_EQ(Str(partner, "identity"), "contoso.com");
  int revision = static_cast<int>(Num(partner, "revision"));
  std::vector<JsonValue> log =
      AuditLog(node2(), {"--identity", "contoso.com", "--result", "ok"});
  ASSERT_FALSE(log.empty());
  // One "ok" entry per revision: no change without its entry, no entry of
  // a change that was not made.
  EXPECT_EQ(static_cast<int>(log.size()), revision);
  EXPECT_EQ(Str(log.back(), "verb"), "new-partner");
  std::set<std::string> described;
  for (const JsonValue& entry : log) {
    for (const JsonValue& change : Elements(*Member(entry, "changes"))) {
      if (Str(change, "field") == "description") {
        described.insert(Str(change, "new"));
      }
    }
  }
  for (const std::string& description : acknowledged) {
    EXPECT_TRUE(described.contains(description)) << description;
  }
  // The newest entry tells of the stored state.
  EXPECT_THAT(
      Changes(log.front()),
      ElementsAre(::testing::HasSubstr("-> " + Str(partner, "description"))));
}

}  // namespace
}  // namespace xmppfed::testing
