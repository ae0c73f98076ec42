// ResolveCaller: root and the agent's own user are Administrator whatever
// the grants say; anyone else gets what its name or groups are granted.
#include "agent/access/caller.h"

#include <gtest/gtest.h>

namespace xmppfed::access {
namespace {

constexpr uid_t kAgentUid = 990;

RoleGrants Grants() {
  absl::StatusOr<RoleGrants> grants =
      RoleGrants::Parse("admins", "ops", "viewers");
  EXPECT_TRUE(grants.ok());
  return *grants;
}

PeerFacts Facts(uid_t uid, std::optional<std::string> user,
                std::vector<std::string> groups) {
  PeerFacts facts;
  facts.uid = uid;
  facts.gid = 100;
  facts.pid = 4242;
  facts.user = std::move(user);
  facts.groups = std::move(groups);
  return facts;
}

TEST(CallerTest, RootIsAdministratorWithoutAnyGroup) {
  Caller caller = ResolveCaller(Facts(0, "root", {}), RoleGrants(), kAgentUid);
  EXPECT_EQ(caller.role, v1::ROLE_ADMINISTRATOR);
  EXPECT_EQ(caller.granted_by, "root");
}

TEST(CallerTest, TheAgentsOwnUserIsAdministrator) {
  Caller caller = ResolveCaller(Facts(kAgentUid, "xmppfed", {"xmppfed"}),
                                Grants(), kAgentUid);
  EXPECT_EQ(caller.role, v1::ROLE_ADMINISTRATOR);
  EXPECT_EQ(caller.granted_by, "the agent's own user");
}

TEST(CallerTest, OthersGetWhatTheirGroupsGrant) {
  Caller caller = ResolveCaller(Facts(1001, "alice", {"alice", "viewers"}),
                                Grants(), kAgentUid);
  EXPECT_EQ(caller.uid, 1001u);
  EXPECT_EQ(caller.pid, 4242);
  EXPECT_EQ(caller.user, "alice");
  EXPECT_EQ(caller.role, v1::ROLE_VIEWER);
  EXPECT_EQ(caller.granted_by, "group viewers");
  EXPECT_EQ(caller.Describe(), "user alice (uid 1001)");
}

TEST(CallerTest, AUidWithoutANameIsShownByNumberAndMatchedByGroupOnly) {
  Caller caller =
      ResolveCaller(Facts(5000, std::nullopt, {"ops"}), Grants(), kAgentUid);
  EXPECT_EQ(caller.user, "5000");
  EXPECT_EQ(caller.role, v1::ROLE_OPERATOR);
  Caller none =
      ResolveCaller(Facts(5001, std::nullopt, {}), Grants(), kAgentUid);
  EXPECT_EQ(none.role, v1::ROLE_NONE);
  EXPECT_EQ(none.granted_by, "");
}

}  // namespace
}  // namespace xmppfed::access
