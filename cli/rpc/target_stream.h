// The one stream of a pipeline-input run (SPEC §7): the targets a
// TargetReader gives go to the agent as they are read, in messages of up to
// 2,000 targets (sooner when the input pauses), while a second thread hands
// each result to the verb as it comes back. Neither side ever holds the
// whole input.
#ifndef XMPPFED_CLI_RPC_TARGET_STREAM_H_
#define XMPPFED_CLI_RPC_TARGET_STREAM_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>

#include "cli/input/target_reader.h"
#include "cli/rpc/verb_context.h"
#include "xmppfed/v1/xmppfed.grpc.pb.h"

namespace xmppfed::cli {

using TargetCall = grpc::ClientReaderWriter<v1::PartnerTargetsRequest,
                                            v1::PartnerTargetsReply>;
// Starts the verb's RPC on `call`.
using OpenTargetCall =
    std::function<std::unique_ptr<TargetCall>(grpc::ClientContext* call)>;

struct TargetRun {
  grpc::Status status;
  v1::TargetSummary summary;
  // Reading stdin failed part-way: what happened. An all-or-nothing run
  // (atomic, what_if) was then abandoned, so it wrote nothing; otherwise
  // the targets before were applied.
  std::string input_error;
};

// Streams the targets of `reader` with `options` on the first message;
// `on_result` runs on the results thread, once per result, in order.
TargetRun StreamTargets(
    VerbContext& context, const OpenTargetCall& open,
    const v1::PartnerTargetOptions& options, TargetReader& reader,
    bool from_input,
    const std::function<void(const v1::TargetResult&)>& on_result);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_RPC_TARGET_STREAM_H_
