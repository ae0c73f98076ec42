// An agent whose roles are granted to real users and groups created for the
// test, and whose socket those users reach through a group of their own, as
// the packaged service's socket is reached through group xmppfed:
//   socket group: admin, operator, viewer, special, norole (not outsider)
//   Administrator: group adm;  Operator: group ops and user:special;
//   Viewer: group view.
// The agent itself runs as root (always Administrator).
#ifndef XMPPFED_TESTS_INTEGRATION_ROLES_FIXTURE_H_
#define XMPPFED_TESTS_INTEGRATION_ROLES_FIXTURE_H_

#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/integration/agent_fixture.h"
#include "tests/support/system_accounts.h"

namespace xmppfed::testing {

class RolesTest : public AgentTest {
 protected:
  void SetUp() override {
    if (!RunningAsRoot()) {
      GTEST_SKIP() << "needs root: creates users and groups";
    }
    accounts_ = std::make_unique<SystemAccounts>();
    socket_group_ = accounts_->AddGroup("sock");
    admin_group_ = accounts_->AddGroup("adm");
    operator_group_ = accounts_->AddGroup("ops");
    viewer_group_ = accounts_->AddGroup("view");
    // Named now (the agent's options name it), created when first used.
    special_name_ = accounts_->NameFor("special");
    ASSERT_FALSE(HasFailure());
    AgentTest::SetUp();
    if (HasFatalFailure()) return;
    OpenSocketToItsGroup();
  }

  void TearDown() override {
    AgentTest::TearDown();
    accounts_.reset();
  }

  std::vector<std::string> ExtraAgentArgs() const override {
    return {"--admin-groups",    admin_group_,
            "--operator-groups", operator_group_ + ",user:" + special_name_,
            "--viewer-groups",   viewer_group_};
  }

  // The socket (0660) gets the socket group, and its directory lets others
  // through (0711), as RuntimeDirectory=xmppfed does for the service. Again
  // after every start of the agent: it binds a new socket file.
  void OpenSocketToItsGroup() {
    ASSERT_EQ(::chmod(dir_.path().c_str(), 0711), 0);
    ASSERT_EQ(::chown(agent_->socket_path().c_str(), 0,
                      SystemAccounts::GroupId(socket_group_)),
              0);
  }

  CliResult CliAs(const Account& user, const std::vector<std::string>& args,
                  std::optional<std::string> stdin_text = {}) const {
    return RunCliAs(user.name, args, agent_->socket_path(),
                    std::move(stdin_text));
  }

  // The users, each created on first use (useradd is the slow part of
  // these tests): in the socket group and the group of their role.
  const Account& Admin() { return Lazy(admin_, "admin", admin_group_); }
  const Account& Operator() {
    return Lazy(operator_, "operator", operator_group_);
  }
  const Account& Viewer() { return Lazy(viewer_, "viewer", viewer_group_); }
  // Operator by the entry user:NAME, not by a group.
  const Account& Special() { return Lazy(special_, "special", ""); }
  // In the socket group only.
  const Account& NoRole() { return Lazy(norole_, "norole", ""); }
  // A Viewer by group, but outside the socket's group.
  const Account& Outsider() {
    if (outsider_.name.empty()) {
      outsider_ = accounts_->AddUser("outsider", {viewer_group_});
    }
    return outsider_;
  }

  std::unique_ptr<SystemAccounts> accounts_;
  std::string socket_group_, admin_group_, operator_group_, viewer_group_;
  std::string special_name_;

 private:
  const Account& Lazy(Account& account, const std::string& short_name,
                      const std::string& role_group) {
    if (account.name.empty()) {
      std::vector<std::string> groups = {socket_group_};
      if (!role_group.empty()) groups.push_back(role_group);
      account = accounts_->AddUser(short_name, groups);
    }
    return account;
  }

  Account admin_, operator_, viewer_, special_, norole_, outsider_;
};

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_INTEGRATION_ROLES_FIXTURE_H_
