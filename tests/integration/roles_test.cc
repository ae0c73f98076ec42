// Roles seen from the shell: the real CLI run as real users (setpriv), each
// told its role by get-agent, refused with exit 77 and a message that says
// what to do, and the socket refusing a user outside its group with the
// same exit code. The whole verb x role matrix is role_matrix_test.cc.
#include <gmock/gmock.h>

#include "tests/integration/roles_fixture.h"

namespace xmppfed::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST_F(RolesTest, GetAgentShowsEachCallersOwnRole) {
  struct Case {
    const Account* user;
    const char* role;
  };
  for (const Case& c :
       {Case{&Admin(), "Administrator"}, Case{&Operator(), "Operator"},
        Case{&Special(), "Operator"}, Case{&Viewer(), "Viewer"}}) {
    CliResult result = CliAs(*c.user, {"get-agent", "-o", "json"});
    ASSERT_EQ(result.exit_code, 0) << result;
    JsonValue agent;
    ASSERT_TRUE(ParseJson(result.out, &agent)) << result;
    EXPECT_EQ(Str(agent, "callerRole"), c.role) << c.user->name;
  }
  EXPECT_EQ(Str(CliJson({"get-agent"}), "callerRole"), "Administrator")
      << "root";
}

TEST_F(RolesTest, ADeniedVerbExits77NamingVerbCallerRolesAndGroup) {
  CliResult result =
      CliAs(Viewer(), {"new-partner", "contoso.com", "--description", "x"});
  EXPECT_EQ(result.exit_code, 77) << result;
  EXPECT_EQ(result.err,
            "xmppfed: new-partner contoso.com: permission denied: user " +
                Viewer().name + " (uid " + std::to_string(Viewer().uid) +
                ") has the role Viewer (group " + viewer_group_ +
                "); new-partner needs the role Administrator, held through "
                "group " +
                admin_group_ + "\n");
  EXPECT_TRUE(PartnerMissing("contoso.com")) << "nothing was written";
}

TEST_F(RolesTest, AnAdministratorByGroupChangesTheStore) {
  CliResult result = CliAs(Admin(), {"new-partner", "contoso.com"});
  EXPECT_EQ(result.exit_code, 0) << result;
  EXPECT_EQ(Str(GetPartner("contoso.com"), "identity"), "contoso.com");
}

TEST_F(RolesTest, AUserWithoutRoleMayNotEvenRead) {
  NewPartner("contoso.com");
  CliResult result = CliAs(NoRole(), {"get-partner"});
  EXPECT_EQ(result.exit_code, 77) << result;
  EXPECT_EQ(result.out, "");
  EXPECT_THAT(
      result.err,
      HasSubstr("has no role; get-partner needs the role "
                "Viewer, held through group " +
                viewer_group_ + ", group " + operator_group_ + ", user " +
                special_name_ + " or group " + admin_group_));
}

TEST_F(RolesTest, AUserOutsideTheSocketsGroupIsToldWhichGroupLetsIn) {
  CliResult result = CliAs(Outsider(), {"get-agent"});
  EXPECT_EQ(result.exit_code, 77) << result;
  EXPECT_THAT(result.err,
              HasSubstr("cannot use xmppfed-agent at " + agent_->socket_path() +
                        ": permission denied."));
  EXPECT_THAT(result.err, HasSubstr("Only members of group " + socket_group_ +
                                    " may use it; ask an administrator to "
                                    "add user " +
                                    Outsider().name));
  EXPECT_THAT(result.err, Not(HasSubstr("Start it")));
}

TEST_F(RolesTest, OperatorsMayEndSessionsAndViewersMayNot) {
  NewPartner("contoso.com");
  // Allowed: the agent answers for itself (the edge is off in this test).
  CliResult allowed = CliAs(
      Operator(), {"remove-session", "--partner", "contoso.com", "--force"});
  EXPECT_EQ(allowed.exit_code, 1) << allowed;
  EXPECT_THAT(allowed.err, HasSubstr("the federation edge is off"));
  CliResult denied = CliAs(
      Viewer(), {"remove-session", "--partner", "contoso.com", "--force"});
  EXPECT_EQ(denied.exit_code, 77) << denied;
  EXPECT_THAT(denied.err, HasSubstr("remove-session needs the role Operator"));
}

TEST_F(RolesTest, CompletionStaysSilentForACallerWithoutRole) {
  NewPartner("contoso.com");
  CliResult viewer = CliAs(Viewer(), {"__complete-identities", "con"});
  EXPECT_EQ(viewer.exit_code, 0) << viewer;
  EXPECT_EQ(viewer.out, "contoso.com\n");
  for (const Account* user : {&NoRole(), &Outsider()}) {
    CliResult silent = CliAs(*user, {"__complete-identities", "con"});
    EXPECT_EQ(silent.exit_code, 0) << silent;
    EXPECT_EQ(silent.out, "") << silent;
    EXPECT_EQ(silent.err, "") << silent;
  }
}

}  // namespace
}  // namespace xmppfed::testing
