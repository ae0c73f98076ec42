// get-agent and get-node: one call each.
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

int RunGetNode(VerbContext& context) {
  grpc::ClientContext call;
  context.PrepareUnary(call);
  v1::GetNodesReply reply;
  grpc::Status status =
      context.nodes().GetNodes(&call, v1::GetNodesRequest(), &reply);
  if (!status.ok()) return context.Fail(status, "");
  // A list in every format: a JSON array even for one node.
  std::unique_ptr<RecordWriter> writer = context.ListWriter(NodeListLayout());
  for (const v1::Node& node : reply.nodes()) writer->Write(NodeRecord(node));
  writer->Finish();
  return kExitOk;
}

}  // namespace xmppfed::cli
