// The verbs xmppfed-rpc runs, by name. Adding one: write its Run function in
// the file of its group (or a new file), declare it here, and add one line to
// kRpcVerbs in verb_table.cc.
#ifndef XMPPFED_CLI_RPC_VERB_TABLE_H_
#define XMPPFED_CLI_RPC_VERB_TABLE_H_

#include <string_view>

#include "cli/rpc/verb_context.h"

namespace xmppfed::cli {

// Returns the process exit code.
using VerbFunction = int (*)(VerbContext& context);

struct RpcVerb {
  std::string_view name;
  VerbFunction run;
};

// nullptr for a verb xmppfed-rpc does not know.
const RpcVerb* FindRpcVerb(std::string_view name);

// partner_verbs.cc
int RunNewPartner(VerbContext& context);
int RunSetPartner(VerbContext& context);
int RunGetPartner(VerbContext& context);
int RunRemovePartner(VerbContext& context);
// import_verbs.cc
int RunImportPartners(VerbContext& context);
// pipeline_verbs.cc: the verbs above whose IDENTITY is - (targets on stdin).
int RunSetPartnerTargets(VerbContext& context);
int RunRemovePartnerTargets(VerbContext& context);
int RunGetPartnerTargets(VerbContext& context);
int RunTestPartnerTargets(VerbContext& context);
// gateway_verbs.cc
int RunGetGatewayConfig(VerbContext& context);
int RunSetGatewayConfig(VerbContext& context);
// check_verbs.cc
int RunTestPartner(VerbContext& context);
// session_verbs.cc
int RunGetSession(VerbContext& context);
int RunRemoveSession(VerbContext& context);
int RunGetPartnerStatus(VerbContext& context);
// agent_verbs.cc
int RunGetAgent(VerbContext& context);
// audit_verbs.cc
int RunGetAuditLog(VerbContext& context);
int RunGetNode(VerbContext& context);
// completion_verbs.cc
int RunCompleteIdentities(VerbContext& context);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_RPC_VERB_TABLE_H_
