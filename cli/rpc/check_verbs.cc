// test-partner: one PartnerCheckService stream; the steps print as they
// come, and the first failure's diagnosis follows on stderr.
#include <iostream>
#include <string>

#include "cli/exit_codes.h"
#include "cli/rpc/records.h"
#include "cli/rpc/verb_table.h"

namespace xmppfed::cli {

// Exit 0 only when every step passed or was skipped as the policy wants;
// a failed step is exit 1 (federation does not work as configured).
int RunTestPartner(VerbContext& context) {
  const Invocation& inv = context.invocation();
  if (TargetsFromStdin(inv)) return RunTestPartnerTargets(context);
  const std::string& identity = inv.identities.front();
  v1::TestPartnerRequest request;
  request.set_identity(identity);
  request.set_timeout_seconds(inv.test_timeout_seconds);

  std::unique_ptr<RecordWriter> writer =
      context.ListWriter(TestStepListLayout());
  grpc::ClientContext call;
  context.PrepareStream(call);
  std::unique_ptr<grpc::ClientReader<v1::TestPartnerStep>> reader =
      context.checks().TestPartner(&call, request);
  v1::TestPartnerStep step;
  v1::TestPartnerStep failed;
  uint64_t total_ms = 0;
  while (reader->Read(&step)) {
    if (step.result() == "Failed" && failed.step().empty()) failed = step;
    total_ms += step.elapsed_ms();
    writer->Write(TestStepRecord(step));
  }
  grpc::Status status = reader->Finish();
  writer->Finish();
  if (!status.ok()) return context.Fail(status, identity);
  if (!failed.step().empty()) {
    std::cerr << "xmppfed: test-partner " << identity << ": " << failed.step()
              << " failed: " << failed.diagnosis() << "\n";
    return kExitRefused;
  }
  context.Note("test-partner " + identity +
               ": federation works as configured (" + std::to_string(total_ms) +
               " ms)");
  return kExitOk;
}

}  // namespace xmppfed::cli
