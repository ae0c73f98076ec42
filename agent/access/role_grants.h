// Who has which role (SPEC §7 "Roles"): the agent's --admin-groups,
// --operator-groups and --viewer-groups, each a comma-separated list of group
// names and `user:NAME` entries. A caller has the highest role any of its
// groups, or its user name, is granted. Root and the agent's own user are
// Administrator whatever this says (see peer_identity.h).
#ifndef XMPPFED_AGENT_ACCESS_ROLE_GRANTS_H_
#define XMPPFED_AGENT_ACCESS_ROLE_GRANTS_H_

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::access {

// The packaged service's defaults: the groups its sysusers.d file creates.
inline constexpr char kDefaultAdminGroups[] = "xmppfed-admin";
inline constexpr char kDefaultOperatorGroups[] = "xmppfed-operator";
inline constexpr char kDefaultViewerGroups[] = "xmppfed";

// One entry of a list: a group, or a user by name.
struct Grantee {
  bool is_user = false;
  std::string name;
  // "group xmppfed-admin" or "user alice".
  std::string Describe() const;
};

// The highest role found for a caller, and the entry that granted it.
struct RoleMatch {
  v1::Role role = v1::ROLE_NONE;
  std::string granted_by;  // e.g. "group xmppfed-admin"; "" for ROLE_NONE
};

class RoleGrants {
 public:
  // The lists as the options give them. INVALID_ARGUMENT names the option
  // (e.g. "--admin-groups"), the entry and the rule: names are those
  // useradd/groupadd accept (letters, digits, '.', '_', '-', a final '$',
  // not starting with '-'); empty entries between commas are skipped, so ""
  // grants the role to no one.
  static absl::StatusOr<RoleGrants> Parse(std::string_view admin_groups,
                                          std::string_view operator_groups,
                                          std::string_view viewer_groups);

  // The highest role that `user` or one of `groups` (names) is granted.
  RoleMatch Match(std::string_view user,
                  const std::vector<std::string>& groups) const;

  // Who may call something that needs `role`: the entries granting it or a
  // higher role, e.g. "group xmppfed-operator or group xmppfed-admin"; ""
  // when no entry does (then only root and the agent's own user may).
  std::string DescribeHolders(v1::Role role) const;

  // The entries granting exactly `role` (ROLE_VIEWER..ROLE_ADMINISTRATOR).
  const std::vector<Grantee>& grantees(v1::Role role) const;

 private:
  // Indexed by role number; [ROLE_NONE] stays empty.
  std::array<std::vector<Grantee>, 4> grantees_;
};

}  // namespace xmppfed::access

#endif  // XMPPFED_AGENT_ACCESS_ROLE_GRANTS_H_
