#include "agent/access/method_roles.h"

namespace xmppfed::access {
namespace {

// Viewer: the read verbs. Operator: Viewer plus remove-session and
// test-partner. Administrator: everything, --what-if included (the role
// follows the method, not its arguments).
constexpr MethodRole kMethodRoles[] = {
    {"xmppfed.v1.PartnerService.NewPartner", v1::ROLE_ADMINISTRATOR,
     "new-partner"},
    {"xmppfed.v1.PartnerService.SetPartner", v1::ROLE_ADMINISTRATOR,
     "set-partner"},
    {"xmppfed.v1.PartnerService.GetPartners", v1::ROLE_VIEWER, "get-partner"},
    {"xmppfed.v1.PartnerService.RemovePartners", v1::ROLE_ADMINISTRATOR,
     "remove-partner"},
    {"xmppfed.v1.PartnerService.ImportPartners", v1::ROLE_ADMINISTRATOR,
     "import-partners"},
    {"xmppfed.v1.GatewayService.GetGatewayConfig", v1::ROLE_VIEWER,
     "get-gateway-config"},
    {"xmppfed.v1.GatewayService.SetGatewayConfig", v1::ROLE_ADMINISTRATOR,
     "set-gateway-config"},
    {"xmppfed.v1.AgentService.GetAgent", v1::ROLE_VIEWER, "get-agent"},
    {"xmppfed.v1.SessionService.GetSessions", v1::ROLE_VIEWER, "get-session"},
    {"xmppfed.v1.SessionService.GetPartnerStatus", v1::ROLE_VIEWER,
     "get-partner-status"},
    {"xmppfed.v1.SessionService.RemoveSessions", v1::ROLE_OPERATOR,
     "remove-session"},
    {"xmppfed.v1.PartnerCheckService.TestPartner", v1::ROLE_OPERATOR,
     "test-partner"},
    {"xmppfed.v1.PartnerService.SetPartnerTargets", v1::ROLE_ADMINISTRATOR,
     "set-partner"},
    {"xmppfed.v1.PartnerService.RemovePartnerTargets", v1::ROLE_ADMINISTRATOR,
     "remove-partner"},
    {"xmppfed.v1.PartnerService.GetPartnerTargets", v1::ROLE_VIEWER,
     "get-partner"},
    {"xmppfed.v1.PartnerCheckService.TestPartnerTargets", v1::ROLE_OPERATOR,
     "test-partner"},
    {"xmppfed.v1.AuditService.GetAuditLog", v1::ROLE_VIEWER, "get-audit-log"},
    {"xmppfed.v1.NodeService.GetNodes", v1::ROLE_VIEWER, "get-node"},
};

}  // namespace

std::span<const MethodRole> MethodRoles() { return kMethodRoles; }

const MethodRole* FindMethodRole(std::string_view method) {
  for (const MethodRole& entry : kMethodRoles) {
    if (entry.method == method) return &entry;
  }
  return nullptr;
}

}  // namespace xmppfed::access
