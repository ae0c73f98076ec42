#include "tests/support/system_accounts.h"

#include <grp.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <unistd.h>

#include <random>

#include "tests/support/subprocess.h"

namespace xmppfed::testing {
namespace {

// shadow-utils live in /usr/sbin, which a test's PATH may lack.
ProcessResult Run(const std::string& tool,
                  const std::vector<std::string>& args) {
  return RunProcess("/usr/sbin/" + tool, args);
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ',';
    out += item;
  }
  return out;
}

}  // namespace

bool RunningAsRoot() { return ::geteuid() == 0; }

SystemAccounts::SystemAccounts() {
  std::random_device random;
  suffix_ = "xf" + std::to_string(::getpid() % 100000) + "-" +
            std::to_string(random() % 10000);
}

SystemAccounts::~SystemAccounts() {
  for (auto it = users_.rbegin(); it != users_.rend(); ++it) {
    ProcessResult removed = Run("userdel", {*it});
    EXPECT_TRUE(removed.status.exited && removed.status.code == 0)
        << "userdel " << *it << ": " << removed.err;
  }
  for (auto it = groups_.rbegin(); it != groups_.rend(); ++it) {
    ProcessResult removed = Run("groupdel", {*it});
    EXPECT_TRUE(removed.status.exited && removed.status.code == 0)
        << "groupdel " << *it << ": " << removed.err;
  }
}

std::string SystemAccounts::AddGroup(const std::string& short_name) {
  std::string name = NameFor(short_name);
  ProcessResult added = Run("groupadd", {name});
  if (!added.status.exited || added.status.code != 0) {
    ADD_FAILURE() << "groupadd " << name << ": " << added.spawn_error
                  << added.err;
    return "";
  }
  groups_.push_back(name);
  return name;
}

Account SystemAccounts::AddUser(const std::string& short_name,
                                const std::vector<std::string>& groups) {
  Account account;
  account.name = NameFor(short_name);
  std::vector<std::string> args = {"--no-create-home", "--user-group",
                                   "--shell", "/usr/sbin/nologin"};
  if (!groups.empty()) {
    args.push_back("--groups");
    args.push_back(Join(groups));
  }
  args.push_back(account.name);
  ProcessResult added = Run("useradd", args);
  if (!added.status.exited || added.status.code != 0) {
    ADD_FAILURE() << "useradd " << account.name << ": " << added.spawn_error
                  << added.err;
    return account;
  }
  users_.push_back(account.name);
  if (const passwd* entry = ::getpwnam(account.name.c_str())) {
    account.uid = entry->pw_uid;
    account.gid = entry->pw_gid;
  }
  return account;
}

gid_t SystemAccounts::GroupId(const std::string& name) {
  const group* entry = ::getgrnam(name.c_str());
  return entry == nullptr ? static_cast<gid_t>(-1) : entry->gr_gid;
}

}  // namespace xmppfed::testing
