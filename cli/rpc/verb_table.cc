#include "cli/rpc/verb_table.h"

namespace xmppfed::cli {
namespace {

constexpr RpcVerb kRpcVerbs[] = {
    {"new-partner", RunNewPartner},
    {"set-partner", RunSetPartner},
    {"get-partner", RunGetPartner},
    {"remove-partner", RunRemovePartner},
    {"import-partners", RunImportPartners},
    {"get-gateway-config", RunGetGatewayConfig},
    {"set-gateway-config", RunSetGatewayConfig},
    {"test-partner", RunTestPartner},
    {"get-session", RunGetSession},
    {"remove-session", RunRemoveSession},
    {"get-partner-status", RunGetPartnerStatus},
    {"get-agent", RunGetAgent},
    {"get-audit-log", RunGetAuditLog},
    {"get-node", RunGetNode},
    {"__complete-identities", RunCompleteIdentities},
};

}  // namespace

const RpcVerb* FindRpcVerb(std::string_view name) {
  for (const RpcVerb& verb : kRpcVerbs) {
    if (verb.name == name) return &verb;
  }
  return nullptr;
}

}  // namespace xmppfed::cli
