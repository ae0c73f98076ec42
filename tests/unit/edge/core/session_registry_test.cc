// SessionRegistry: counts by kind and the per-partner index, kept exact as
// sessions are added, rebound, retired and removed.
#include "agent/edge/core/session_registry.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/unit/edge/core/fake_session.h"

namespace xmppfed::edge::testing {
namespace {

std::vector<uint64_t> Ids(std::vector<Session*> sessions) {
  std::vector<uint64_t> ids;
  for (Session* session : sessions) ids.push_back(session->id());
  std::sort(ids.begin(), ids.end());
  return ids;
}

TEST(SessionRegistryTest, CountsEachKind) {
  SessionRegistry registry;
  registry.Add(std::make_unique<FakeSession>(1, SessionKind::kInbound, "l",
                                             std::vector<std::string>{}));
  registry.Add(std::make_unique<FakeSession>(
      2, SessionKind::kOutbound, "l", std::vector<std::string>{"p.test"}));
  registry.Add(std::make_unique<FakeSession>(
      3, SessionKind::kVerifier, "l", std::vector<std::string>{"p.test"}));
  registry.Add(std::make_unique<FakeSession>(4, SessionKind::kComponent, "l",
                                             std::vector<std::string>{}));
  EXPECT_EQ(registry.size(), 4u);
  EXPECT_EQ(registry.s2s_count(), 3u);
  EXPECT_EQ(registry.count(SessionKind::kComponent), 1u);
  EXPECT_EQ(registry.count(SessionKind::kInbound), 1u);
}

TEST(SessionRegistryTest, IndexesSessionsByEveryPartnerTheyAreBoundTo) {
  SessionRegistry registry;
  auto* inbound = registry.Add(std::make_unique<FakeSession>(
      1, SessionKind::kInbound, "l", std::vector<std::string>{}));
  EXPECT_EQ(registry.CountInboundOf("a.test"), 0u);
  // Two domains of two partners proved on one stream.
  inbound->set_partners({"a.test", "b.test"});
  registry.Rebind(inbound);
  registry.Add(std::make_unique<FakeSession>(
      2, SessionKind::kOutbound, "l", std::vector<std::string>{"a.test"}));
  EXPECT_EQ(registry.CountInboundOf("a.test"), 1u);
  EXPECT_EQ(registry.CountInboundOf("b.test"), 1u);
  EXPECT_EQ(Ids(registry.SessionsOf("a.test")), (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(Ids(registry.SessionsOf("b.test")), (std::vector<uint64_t>{1}));
  // b.test's domain moved to another partner.
  inbound->set_partners({"a.test", "c.test"});
  registry.Rebind(inbound);
  EXPECT_TRUE(registry.SessionsOf("b.test").empty());
  EXPECT_EQ(registry.CountInboundOf("c.test"), 1u);
}

TEST(SessionRegistryTest, ARetiredSessionLeavesCountsButStaysFindable) {
  SessionRegistry registry;
  auto* inbound = registry.Add(std::make_unique<FakeSession>(
      7, SessionKind::kInbound, "l", std::vector<std::string>{"a.test"}));
  registry.Retire(inbound);
  EXPECT_EQ(registry.size(), 0u);
  EXPECT_EQ(registry.s2s_count(), 0u);
  EXPECT_EQ(registry.CountInboundOf("a.test"), 0u);
  EXPECT_TRUE(registry.All().empty());
  EXPECT_EQ(registry.Find(7), inbound) << "deleted later, not yet";
  // Rebinding a retired session (a late callback) indexes nothing.
  registry.Rebind(inbound);
  EXPECT_EQ(registry.CountInboundOf("a.test"), 0u);
  registry.Remove(7);
  EXPECT_EQ(registry.Find(7), nullptr);
}

TEST(SessionRegistryTest, RemoveOfALiveSessionUpdatesEverything) {
  SessionRegistry registry;
  registry.Add(std::make_unique<FakeSession>(
      1, SessionKind::kInbound, "l", std::vector<std::string>{"a.test"}));
  registry.Remove(1);
  EXPECT_EQ(registry.size(), 0u);
  EXPECT_EQ(registry.count(SessionKind::kInbound), 0u);
  EXPECT_TRUE(registry.SessionsOf("a.test").empty());
}

}  // namespace
}  // namespace xmppfed::edge::testing
