// Real users and groups for one test (useradd, groupadd), removed again
// when the object is destroyed. Names carry a suffix unique to the test
// process, so parallel tests and leftovers of a killed run never collide.
// Needs root; tests skip when not root (see RunningAsRoot).
#ifndef XMPPFED_TESTS_SUPPORT_SYSTEM_ACCOUNTS_H_
#define XMPPFED_TESTS_SUPPORT_SYSTEM_ACCOUNTS_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace xmppfed::testing {

bool RunningAsRoot();

// One account as created.
struct Account {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;  // its own primary group (named like the user)
};

class SystemAccounts {
 public:
  SystemAccounts();
  // userdel for every user, then groupdel for every group created here.
  ~SystemAccounts();

  SystemAccounts(const SystemAccounts&) = delete;
  SystemAccounts& operator=(const SystemAccounts&) = delete;

  // The full name an account or group made from `short_name` gets.
  std::string NameFor(const std::string& short_name) const {
    return short_name + "-" + suffix_;
  }
  // Creates group "<short_name>-<suffix>" and returns its full name; the
  // test fails (and "" is returned) when groupadd does.
  std::string AddGroup(const std::string& short_name);
  // Creates user "<short_name>-<suffix>" (no home, no login shell) with its
  // own primary group and the given supplementary groups (full names).
  Account AddUser(const std::string& short_name,
                  const std::vector<std::string>& groups = {});

  // The gid of a group created here (or any group), -1 when unknown.
  static gid_t GroupId(const std::string& name);

 private:
  std::string suffix_;
  std::vector<std::string> users_;
  std::vector<std::string> groups_;
};

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_SUPPORT_SYSTEM_ACCOUNTS_H_
