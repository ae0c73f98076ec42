// get-agent: one AgentService call.
#include "cli/exit_codes.h"
#include "cli/rpc/records.h"
#include "cli/rpc/verb_table.h"

namespace xmppfed::cli {

int RunGetAgent(VerbContext& context) {
  grpc::ClientContext call;
  context.PrepareUnary(call);
  v1::AgentInfo agent;
  grpc::Status status =
      context.agent().GetAgent(&call, v1::GetAgentRequest(), &agent);
  if (!status.ok()) return context.Fail(status, "");
  std::unique_ptr<RecordWriter> writer = context.ObjectWriter();
  writer->Write(AgentRecord(agent));
  writer->Finish();
  return kExitOk;
}

}  // namespace xmppfed::cli
