#include "agent/access/caller.h"

#include "absl/strings/str_cat.h"

namespace xmppfed::access {

std::string Caller::Describe() const {
  return absl::StrCat("user ", user, " (uid ", uid, ")");
}

Caller ResolveCaller(const PeerFacts& facts, const RoleGrants& grants,
                     uid_t agent_uid) {
  Caller caller;
  caller.uid = facts.uid;
  caller.gid = facts.gid;
  caller.pid = facts.pid;
  caller.user = facts.user.value_or(absl::StrCat(facts.uid));
  if (facts.uid == 0) {
    caller.role = v1::ROLE_ADMINISTRATOR;
    caller.granted_by = "root";
  } else if (facts.uid == agent_uid) {
    caller.role = v1::ROLE_ADMINISTRATOR;
    caller.granted_by = "the agent's own user";
  } else {
    // A uid the user database does not know has no name to match (names
    // are never empty) but may still be granted through its process's gid.
    RoleMatch match =
        grants.Match(facts.user.value_or(std::string()), facts.groups);
    caller.role = match.role;
    caller.granted_by = std::move(match.granted_by);
  }
  return caller;
}

}  // namespace xmppfed::access
