// The caller of a management API call, as the operating system reports it,
// with the role the agent's configuration gives it.
#ifndef XMPPFED_AGENT_ACCESS_CALLER_H_
#define XMPPFED_AGENT_ACCESS_CALLER_H_

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "agent/access/role_grants.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::access {

// What the kernel and the user database say about the process at the other
// end of a connection.
struct PeerFacts {
  uid_t uid = 0;
  gid_t gid = 0;
  pid_t pid = 0;
  // The user database's name for uid; nullopt when it has none.
  std::optional<std::string> user;
  // Names of the user's groups (getgrouplist: the primary group and every
  // supplementary one) and of the process's own gid.
  std::vector<std::string> groups;
};

struct Caller {
  uid_t uid = 0;
  gid_t gid = 0;
  pid_t pid = 0;
  // The user's name, or its uid in decimal when the user database has none.
  std::string user;
  v1::Role role = v1::ROLE_NONE;
  // What gave the role: "root", "the agent's own user", "group
  // xmppfed-admin", "user alice"; "" for ROLE_NONE.
  std::string granted_by;

  // "user alice (uid 1001)".
  std::string Describe() const;
};

// The caller these facts describe. Root (uid 0) and `agent_uid` (the user the
// agent runs as) are always Administrator; anyone else has the role `grants`
// gives its user name or groups.
Caller ResolveCaller(const PeerFacts& facts, const RoleGrants& grants,
                     uid_t agent_uid);

}  // namespace xmppfed::access

#endif  // XMPPFED_AGENT_ACCESS_CALLER_H_
