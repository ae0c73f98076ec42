#include "agent/access/role_grants.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace xmppfed::access {
namespace {

constexpr std::string_view kUserPrefix = "user:";

// The shadow-utils rule (useradd(8), groupadd(8)), which also keeps commas,
// colons and spaces out of names.
bool IsValidName(std::string_view name) {
  if (name.empty() || name.size() > 256 || name.front() == '-') return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ||
              (c == '$' && i + 1 == name.size());
    if (!ok) return false;
  }
  return true;
}

absl::StatusOr<std::vector<Grantee>> ParseList(std::string_view option,
                                               std::string_view list) {
  std::vector<Grantee> grantees;
  for (absl::string_view raw :
       absl::StrSplit(absl::string_view(list.data(), list.size()), ',')) {
    absl::string_view stripped = absl::StripAsciiWhitespace(raw);
    std::string_view entry(stripped.data(), stripped.size());
    if (entry.empty()) continue;
    Grantee grantee;
    grantee.is_user = entry.starts_with(kUserPrefix);
    if (grantee.is_user) entry.remove_prefix(kUserPrefix.size());
    if (!IsValidName(entry)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--", std::string(option), "=", std::string(list), ": \"",
          std::string(raw.data(), raw.size()),
          "\" is not a group name or user:NAME (names are letters, digits, "
          "'.', '_' and '-', not starting with '-')"));
    }
    grantee.name = std::string(entry);
    grantees.push_back(std::move(grantee));
  }
  return grantees;
}

std::string JoinWithOr(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " or " : ", ";
    out += items[i];
  }
  return out;
}

}  // namespace

std::string Grantee::Describe() const {
  return absl::StrCat(is_user ? "user " : "group ", name);
}

absl::StatusOr<RoleGrants> RoleGrants::Parse(std::string_view admin_groups,
                                             std::string_view operator_groups,
                                             std::string_view viewer_groups) {
  RoleGrants grants;
  struct Source {
    v1::Role role;
    std::string_view option;
    std::string_view list;
  };
  for (const Source& source :
       {Source{v1::ROLE_ADMINISTRATOR, "admin-groups", admin_groups},
        Source{v1::ROLE_OPERATOR, "operator-groups", operator_groups},
        Source{v1::ROLE_VIEWER, "viewer-groups", viewer_groups}}) {
    absl::StatusOr<std::vector<Grantee>> parsed =
        ParseList(source.option, source.list);
    if (!parsed.ok()) return parsed.status();
    grants.grantees_[source.role] = *std::move(parsed);
  }
  return grants;
}

RoleMatch RoleGrants::Match(std::string_view user,
                            const std::vector<std::string>& groups) const {
  for (v1::Role role :
       {v1::ROLE_ADMINISTRATOR, v1::ROLE_OPERATOR, v1::ROLE_VIEWER}) {
    for (const Grantee& grantee : grantees_[role]) {
      bool member = grantee.is_user ? grantee.name == user
                                    : std::find(groups.begin(), groups.end(),
                                                grantee.name) != groups.end();
      if (member) return RoleMatch{role, grantee.Describe()};
    }
  }
  return RoleMatch{};
}

std::string RoleGrants::DescribeHolders(v1::Role role) const {
  std::vector<std::string> holders;
  for (int r = std::max<int>(role, v1::ROLE_VIEWER);
       r <= v1::ROLE_ADMINISTRATOR; ++r) {
    for (const Grantee& grantee : grantees_[r]) {
      holders.push_back(grantee.Describe());
    }
  }
  return JoinWithOr(holders);
}

const std::vector<Grantee>& RoleGrants::grantees(v1::Role role) const {
  return grantees_[role];
}

}  // namespace xmppfed::access
