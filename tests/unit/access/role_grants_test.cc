// RoleGrants: parsing the --*-groups lists and matching a caller's user
// name and groups to the highest role granted.
#include "agent/access/role_grants.h"

#include <gtest/gtest.h>

namespace xmppfed::access {
namespace {

RoleGrants Parse(std::string_view admin, std::string_view operators,
                 std::string_view viewers) {
  absl::StatusOr<RoleGrants> grants =
      RoleGrants::Parse(admin, operators, viewers);
  EXPECT_TRUE(grants.ok()) << grants.status();
  return grants.ok() ? *std::move(grants) : RoleGrants();
}

TEST(RoleGrantsTest, GroupsAndUsersAreParsedPerRole) {
  RoleGrants grants = Parse("wheel, user:alice", "ops", "xmppfed,,user:bob");
  ASSERT_EQ(grants.grantees(v1::ROLE_ADMINISTRATOR).size(), 2u);
  EXPECT_EQ(grants.grantees(v1::ROLE_ADMINISTRATOR)[0].Describe(),
            "group wheel");
  EXPECT_EQ(grants.grantees(v1::ROLE_ADMINISTRATOR)[1].Describe(),
            "user alice");
  EXPECT_EQ(grants.grantees(v1::ROLE_OPERATOR).size(), 1u);
  EXPECT_EQ(grants.grantees(v1::ROLE_VIEWER).size(), 2u);
}

TEST(RoleGrantsTest, TheHighestRoleWins) {
  RoleGrants grants = Parse("admins", "ops", "xmppfed");
  RoleMatch match = grants.Match("carol", {"xmppfed", "ops", "users"});
  EXPECT_EQ(match.role, v1::ROLE_OPERATOR);
  EXPECT_EQ(match.granted_by, "group ops");
  match = grants.Match("carol", {"admins", "xmppfed"});
  EXPECT_EQ(match.role, v1::ROLE_ADMINISTRATOR);
}

TEST(RoleGrantsTest, AUserEntryMatchesTheNameOnly) {
  RoleGrants grants = Parse("user:alice", "", "");
  EXPECT_EQ(grants.Match("alice", {}).role, v1::ROLE_ADMINISTRATOR);
  EXPECT_EQ(grants.Match("alice", {}).granted_by, "user alice");
  // A group named like the user grants nothing.
  EXPECT_EQ(grants.Match("bob", {"alice"}).role, v1::ROLE_NONE);
}

TEST(RoleGrantsTest, NoMatchIsNoRole) {
  RoleGrants grants = Parse("admins", "ops", "xmppfed");
  RoleMatch match = grants.Match("mallory", {"users"});
  EXPECT_EQ(match.role, v1::ROLE_NONE);
  EXPECT_EQ(match.granted_by, "");
}

TEST(RoleGrantsTest, EmptyListsGrantNothing) {
  RoleGrants grants = Parse("", "", "");
  EXPECT_EQ(grants.Match("root", {"root", "xmppfed"}).role, v1::ROLE_NONE);
  EXPECT_EQ(grants.DescribeHolders(v1::ROLE_VIEWER), "");
}

TEST(RoleGrantsTest, HoldersOfARoleIncludeTheHigherRoles) {
  RoleGrants grants = Parse("admins,user:root2", "ops", "xmppfed");
  EXPECT_EQ(grants.DescribeHolders(v1::ROLE_ADMINISTRATOR),
            "group admins or user root2");
  EXPECT_EQ(grants.DescribeHolders(v1::ROLE_OPERATOR),
            "group ops, group admins or user root2");
  EXPECT_EQ(grants.DescribeHolders(v1::ROLE_VIEWER),
            "group xmppfed, group ops, group admins or user root2");
}

TEST(RoleGrantsTest, AMalformedEntryNamesTheOptionAndTheEntry) {
  for (std::string_view bad : {"a b", "user:", "-x", "g:x", "a;b"}) {
    absl::StatusOr<RoleGrants> grants = RoleGrants::Parse("", bad, "");
    ASSERT_FALSE(grants.ok()) << bad;
    EXPECT_EQ(grants.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(grants.status().message().find("--operator-groups="),
              std::string::npos)
        << grants.status();
    EXPECT_NE(grants.status().message().find("not a group name or user:NAME"),
              std::string::npos)
        << grants.status();
  }
}

TEST(RoleGrantsTest, TheDefaultsAreThePackagedGroups) {
  RoleGrants grants =
      Parse(kDefaultAdminGroups, kDefaultOperatorGroups, kDefaultViewerGroups);
  EXPECT_EQ(grants.Match("a", {"xmppfed-admin"}).role, v1::ROLE_ADMINISTRATOR);
  EXPECT_EQ(grants.Match("o", {"xmppfed-operator"}).role, v1::ROLE_OPERATOR);
  EXPECT_EQ(grants.Match("v", {"xmppfed"}).role, v1::ROLE_VIEWER);
}

}  // namespace
}  // namespace xmppfed::access
