#include "cli/rpc/target_stream.h"

#include <chrono>
#include <iostream>
#include <thread>

#include "cli/rpc/bulk_stream.h"
#include "cli/rpc/target_records.h"

namespace xmppfed::cli {
namespace {

// A message goes out when it holds kBatchRecords targets or kBatchBytes, or
// when the input has had nothing more for this long, so targets typed or
// trickling from a slow pipe are answered at once.
constexpr std::chrono::milliseconds kLinger(50);

}  // namespace

TargetRun StreamTargets(
    VerbContext& context, const OpenTargetCall& open,
    const v1::PartnerTargetOptions& options, TargetReader& reader,
    bool from_input,
    const std::function<void(const v1::TargetResult&)>& on_result) {
  grpc::ClientContext call;
  context.PrepareStream(call);
  std::unique_ptr<TargetCall> stream = open(&call);

  TargetRun run;
  std::thread results([&] {
    v1::PartnerTargetsReply reply;
    while (stream->Read(&reply)) {
      for (const v1::TargetResult& result : reply.results()) on_result(result);
      std::cout.flush();
      if (reply.last()) run.summary = reply.summary();
    }
  });

  v1::PartnerTargetsRequest request;
  *request.mutable_options() = options;
  bool sending = true;
  std::size_t batch_bytes = 0;
  auto send = [&] {
    sending = stream->Write(request);
    request.Clear();
    batch_bytes = 0;
  };
  InputTarget target;
  while (sending) {
    if (request.targets_size() > 0 && !reader.Ready(kLinger)) {
      send();
      continue;
    }
    if (!reader.Next(&target)) break;
    v1::PartnerTarget* added = request.add_targets();
    *added = ToPartnerTarget(target, from_input);
    batch_bytes += added->ByteSizeLong();
    if (request.targets_size() >= kBatchRecords || batch_bytes >= kBatchBytes) {
      send();
    }
  }
  run.input_error = reader.error();
  FinishSending(call, *stream, request, sending, !run.input_error.empty(),
                options.atomic() || options.what_if());
  results.join();
  run.status = stream->Finish();
  return run;
}

}  // namespace xmppfed::cli
