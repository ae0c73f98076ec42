// kill -9 right after a burst of changes by two users at once: every
// acknowledged change has its audit entry, and no entry tells of a change
// that was not made (each partner has exactly as many "ok" entries as
// revisions). The calls go over the users' own connections (ChannelAs), so
// the burst is as fast as the agent allows.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <csignal>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "tests/integration/roles_fixture.h"
#include "tests/support/caller_channel.h"
#include "xmppfed/v1/xmppfed.grpc.pb.h"

namespace xmppfed::testing {
namespace {

// Each user's changes acknowledged before the kill: new partners, and the
// descriptions set on them.
struct Acknowledged {
  std::mutex mutex;
  std::set<std::string> created;
  std::set<std::string> descriptions;
};

// Creates a partner, then sets its description, again and again, until the
// agent stops answering; records what was acknowledged.
void Burst(std::shared_ptr<grpc::Channel> channel, const std::string& tag,
           Acknowledged* acknowledged, std::atomic<int>* done) {
  std::unique_ptr<v1::PartnerService::Stub> stub =
      v1::PartnerService::NewStub(channel);
  // Makes one call; true (and `value` recorded in `into`) when acknowledged.
  auto acknowledge = [&](auto method, const auto& request,
                         std::set<std::string>& into,
                         const std::string& value) {
    grpc::ClientContext call;
    call.set_deadline(std::chrono::system_clock::now() +
                      std::chrono::seconds(10));
    v1::PartnerChange reply;
    if (!((*stub).*method)(&call, request, &reply).ok()) return false;
    std::lock_guard<std::mutex> lock(acknowledged->mutex);
    into.insert(value);
    return true;
  };
  for (int i = 0;; ++i) {
    std::string identity = tag + "-" + std::to_string(i) + ".example";
    v1::NewPartnerRequest create;
    create.set_identity(identity);
    if (!acknowledge(&v1::PartnerService::Stub::NewPartner, create,
                     acknowledged->created, identity)) {
      return;
    }
    v1::SetPartnerRequest set;
    set.set_identity(identity);
    std::string description = tag + " description " + std::to_string(i);
    set.mutable_fields()->set_description(description);
    if (!acknowledge(&v1::PartnerService::Stub::SetPartner, set,
                     acknowledged->descriptions, description)) {
      return;
    }
    done->fetch_add(1);
  }
}

using AuditDurabilityTest = RolesTest;

TEST_F(AuditDurabilityTest,
       KillNineAfterABurstByTwoUsersKeepsChangesAndEntriesTogether) {
  const Account& first = Admin();
  Account second = accounts_->AddUser("admin2", {socket_group_, admin_group_});
  std::shared_ptr<grpc::Channel> first_channel =
      ChannelAs(first.name, agent_->socket_path());
  std::shared_ptr<grpc::Channel> second_channel =
      ChannelAs(second.name, agent_->socket_path());
  ASSERT_NE(first_channel, nullptr);
  ASSERT_NE(second_channel, nullptr);

  Acknowledged acknowledged;
  std::atomic<int> done{0};
  std::thread a(Burst, first_channel, "first", &acknowledged, &done);
  std::thread b(Burst, second_channel, "second", &acknowledged, &done);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (done.load() < 40 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  // Mid-burst: calls are in flight on both connections.
  ExitStatus killed = agent_->Kill();
  a.join();
  b.join();
  first_channel.reset();
  second_channel.reset();
  ASSERT_EQ(killed.signal, SIGKILL) << killed;
  ASSERT_GE(done.load(), 40);
  ASSERT_TRUE(agent_->Start());

  std::map<std::string, double> revisions;
  for (const JsonValue& partner : Elements(CliJson({"get-partner"}))) {
    revisions[Str(partner, "identity")] = Num(partner, "revision");
  }
  std::map<std::string, int> entries_per_partner;
  std::set<std::string> described;
  std::set<std::string> callers;
  for (const JsonValue& entry :
       Elements(CliJson({"get-audit-log", "--result", "ok"}))) {
    std::vector<std::string> identities = StrList(entry, "identities");
    ASSERT_EQ(identities.size(), 1u) << ToJson(entry);
    ++entries_per_partner[identities[0]];
    const JsonValue* caller = Member(entry, "caller");
    ASSERT_NE(caller, nullptr);
    callers.insert(Str(*caller, "user"));
    for (const JsonValue& change : Elements(*Member(entry, "changes"))) {
      if (Str(change, "field") == "description") {
        described.insert(Str(change, "new"));
      }
    }
  }
  EXPECT_EQ(callers, (std::set<std::string>{first.name, second.name}));
  // Every acknowledged change is there, with its entry.
  for (const std::string& identity : acknowledged.created) {
    EXPECT_TRUE(revisions.contains(identity)) << identity;
  }
  for (const std::string& description : acknowledged.descriptions) {
    EXPECT_TRUE(described.contains(description)) << description;
  }
  // No change without its entry, no entry without its change: one "ok"
  // entry per revision of each partner, and none for a partner not there.
  for (const auto& [identity, revision] : revisions) {
    EXPECT_EQ(entries_per_partner[identity], static_cast<int>(revision))
        << identity;
  }
  for (const auto& [identity, count] : entries_per_partner) {
    EXPECT_TRUE(revisions.contains(identity))
        << count << " entries for " << identity << ", which is not stored";
  }
}

}  // namespace
}  // namespace xmppfed::testing
