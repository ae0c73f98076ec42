#include "agent/rpc/call_gate.h"

#include "absl/strings/str_cat.h"
#include "agent/runtime/log.h"
#include "xmppfed/v1/spelling.h"

namespace xmppfed::rpc {

std::string CallGate::DenialText(const access::Caller& caller,
                                 const access::MethodRole& rule) const {
  std::string has = caller.role == v1::ROLE_NONE
                        ? "has no role"
                        : absl::StrCat("has the role ",
                                       std::string(v1::RoleName(caller.role)),
                                       " (", caller.granted_by, ")");
  std::string holders = grants_->DescribeHolders(rule.role);
  std::string needs =
      holders.empty()
          ? absl::StrCat(
                ", which only root and the agent's own user have (the "
                "agent's --admin-groups, --operator-groups and "
                "--viewer-groups grant roles)")
          : absl::StrCat(", held through ", holders);
  return absl::StrCat(caller.Describe(), " ", has, "; ", std::string(rule.verb),
                      " needs the role ", std::string(v1::RoleName(rule.role)),
                      needs);
}

absl::StatusOr<access::Caller> CallGate::Admit(grpc::ServerContext* context,
                                               std::string_view method) const {
  std::optional<access::Caller> caller = callers_->CallerOf(*context);
  if (!caller.has_value()) {
    runtime::LogError("api.denied",
                      absl::StrCat("method=", std::string(method),
                                   " reason=\"unknown connection\""));
    return absl::PermissionDeniedError(
        "permission denied: the agent cannot tell who is calling");
  }
  const access::MethodRole* rule = access::FindMethodRole(method);
  if (rule == nullptr) {
    runtime::LogError(
        "api.denied",
        absl::StrCat("method=", std::string(method), " user=", caller->user,
                     " reason=\"no role may call this method\""));
    return absl::PermissionDeniedError(absl::StrCat(
        "permission denied: ", std::string(method),
        " has no entry in the agent's table of roles, so no one may call it"));
  }
  if (caller->role >= rule->role) return *std::move(caller);
  runtime::LogWarning(
      "api.denied",
      absl::StrCat("verb=", std::string(rule->verb), " user=", caller->user,
                   " uid=", caller->uid, " pid=", caller->pid,
                   " role=", std::string(v1::RoleName(caller->role)),
                   " needs=", std::string(v1::RoleName(rule->role))));
  return absl::PermissionDeniedError(
      absl::StrCat("permission denied: ", DenialText(*caller, *rule)));
}

}  // namespace xmppfed::rpc
