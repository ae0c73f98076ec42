// The first step of every handler of the management API: who is calling,
// and may its role call this method (agent/access/method_roles.h)? A call
// that may not is refused before anything happens.
#ifndef XMPPFED_AGENT_RPC_CALL_GATE_H_
#define XMPPFED_AGENT_RPC_CALL_GATE_H_

#include <grpcpp/server_context.h>

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "agent/access/caller.h"
#include "agent/access/method_roles.h"
#include "agent/access/role_grants.h"
#include "agent/rpc/connection_table.h"

namespace xmppfed::rpc {

class CallGate {
 public:
  // Both must outlive the gate.
  CallGate(const CallerLookup* callers, const access::RoleGrants* grants)
      : callers_(callers), grants_(grants) {}

  // The caller when its role allows `method` (a full name such as
  // "xmppfed.v1.PartnerService.NewPartner"). Otherwise PERMISSION_DENIED
  // whose message names the verb, the caller, its role, the role needed and
  // the groups or users that have it; the denial is logged (warning).
  // A method without an entry in the table, or a call whose connection the
  // agent did not record, is denied.
  absl::StatusOr<access::Caller> Admit(grpc::ServerContext* context,
                                       std::string_view method) const;

  // The text of a denial (without "permission denied: ").
  std::string DenialText(const access::Caller& caller,
                         const access::MethodRole& rule) const;

 private:
  const CallerLookup* callers_;
  const access::RoleGrants* grants_;
};

}  // namespace xmppfed::rpc

#endif  // XMPPFED_AGENT_RPC_CALL_GATE_H_
