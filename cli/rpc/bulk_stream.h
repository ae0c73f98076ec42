// The sending side of the bulk streams, import-partners and pipeline input:
// how many records a request message holds, and how the stream ends.
#ifndef XMPPFED_CLI_RPC_BULK_STREAM_H_
#define XMPPFED_CLI_RPC_BULK_STREAM_H_

#include <grpcpp/grpcpp.h>

#include <cstddef>

namespace xmppfed::cli {

// A message is sent when it holds this many records or bytes: enough to make
// per-message costs vanish, and (without --atomic) the records of one
// message are committed together.
inline constexpr int kBatchRecords = 2000;
inline constexpr std::size_t kBatchBytes = 1024 * 1024;

// Ends the sending side once the input is read (or `sending` is false: the
// agent ended the call). `request` holds what is left; it goes out marked
// `last`. When the input broke off part-way (`input_failed`) and the run is
// all or nothing, the call is cancelled instead: a stream abandoned without
// `last` makes the agent roll its transaction back.
template <typename Stream, typename Request>
void FinishSending(grpc::ClientContext& call, Stream& stream, Request& request,
                   bool sending, bool input_failed, bool all_or_nothing) {
  if (!sending) return;
  if (input_failed && all_or_nothing) {
    call.TryCancel();
    return;
  }
  request.set_last(true);
  stream.Write(request);
  stream.WritesDone();
}

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_RPC_BULK_STREAM_H_
