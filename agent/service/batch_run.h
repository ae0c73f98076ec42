// How a bulk stream (import-partners, the pipeline verbs) meets the store's
// transactions. The client sends request messages of records; each message
// is applied in order, inside a transaction, and its results are sent back
// (in several reply messages when they would make one of more than about
// kReplyBytes, as results that carry partners can):
//
// * kPerMessage: one transaction per message (per reply's worth of its
//   records); its results are sent after it commits, so a result received is
//   durable, and a refused record does not stop the others;
// * kAllOrNothing (--atomic): one transaction for the whole stream,
//   committed only when no record failed;
// * kDryRun (--what-if): one transaction for the whole stream, always rolled
//   back, so records are checked against each other as well as the store.
//
// A stream abandoned before its `last` message writes nothing more (and an
// all-or-nothing one nothing at all).
#ifndef XMPPFED_AGENT_SERVICE_BATCH_RUN_H_
#define XMPPFED_AGENT_SERVICE_BATCH_RUN_H_

#include <cstddef>
#include <functional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "agent/store/store.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::service {

enum class BatchMode { kPerMessage, kAllOrNothing, kDryRun };

// A reply message holds results of at most about this many bytes (a single
// result may be larger): a message's results may carry two partners each,
// and a partner may hold 1,000 domains.
inline constexpr std::size_t kReplyBytes = 1 << 20;

inline BatchMode BatchModeOf(bool atomic, bool what_if) {
  return what_if  ? BatchMode::kDryRun
         : atomic ? BatchMode::kAllOrNothing
                  : BatchMode::kPerMessage;
}

// The records a request message carries.
inline int RecordCount(const v1::ImportPartnersRequest& request) {
  return request.records_size();
}
inline int RecordCount(const v1::PartnerTargetsRequest& request) {
  return request.targets_size();
}

// CANCELLED: the client went away before the end of the stream.
absl::Status ClientGone();

// Sends the final message of a bulk stream: the summary, marked last.
template <typename Reply, typename Summary>
absl::Status SendSummary(const Summary& summary,
                         const std::function<bool(const Reply&)>& write) {
  Reply last;
  *last.mutable_summary() = summary;
  last.set_last(true);
  return write(last) ? absl::OkStatus() : ClientGone();
}

template <typename Request, typename Reply>
struct BatchStream {
  // Fills the next request message; false when the client went away.
  std::function<bool(Request*)> read;
  // Sends a reply message; false when the client went away.
  std::function<bool(const Reply&)> write;
  // Applies the records of one message in `txn` from the one at `first`
  // on, adding their results to the reply, and stops once the reply holds
  // kReplyBytes; returns the index after the last record applied. An error
  // only for a failure of the store itself.
  std::function<absl::StatusOr<int>(store::PartnerTransaction& txn,
                                    const Request&, int first, Reply*)>
      apply;
  // Whether a record so far was refused (or otherwise failed): an
  // all-or-nothing run then rolls back.
  std::function<bool()> any_failed;
};

// Runs the stream whose first message is `request` (already read, options
// included) to its `last` message. OK when it ran to its end; CANCELLED when
// the client went away; the store's error when it failed (the open
// transaction is then rolled back). `committed` says whether anything was
// written, whatever the outcome. The caller sends the summary.
template <typename Request, typename Reply>
absl::Status RunBatches(store::Store& store, BatchMode mode, Request& request,
                        const BatchStream<Request, Reply>& stream,
                        bool* committed) {
  *committed = false;
  if (mode == BatchMode::kPerMessage) {
    while (true) {
      for (int done = 0; done < RecordCount(request);) {
        Reply reply;
        absl::Status status = store.RunPartnerTransaction(
            [&](store::PartnerTransaction& txn)
                -> absl::StatusOr<store::TransactionEnd> {
              absl::StatusOr<int> next =
                  stream.apply(txn, request, done, &reply);
              if (!next.ok()) return next.status();
              done = *next;
              return store::TransactionEnd::kCommit;
            });
        if (!status.ok()) return status;
        // What was just committed counts even if the client goes away now.
        *committed = true;
        if (!stream.write(reply)) return ClientGone();
      }
      if (request.last()) return absl::OkStatus();
      if (!stream.read(&request)) return ClientGone();
    }
  }
  bool commit = false;
  absl::Status status =
      store.RunPartnerTransaction([&](store::PartnerTransaction& txn)
                                      -> absl::StatusOr<store::TransactionEnd> {
        while (true) {
          for (int done = 0; done < RecordCount(request);) {
            Reply reply;
            absl::StatusOr<int> next = stream.apply(txn, request, done, &reply);
            if (!next.ok()) return next.status();
            done = *next;
            if (!stream.write(reply)) return ClientGone();
          }
          if (request.last()) break;
          if (!stream.read(&request)) return ClientGone();
        }
        commit = mode == BatchMode::kAllOrNothing && !stream.any_failed();
        return commit ? store::TransactionEnd::kCommit
                      : store::TransactionEnd::kRollBack;
      });
  *committed = status.ok() && commit;
  return status;
}

}  // namespace xmppfed::service

#endif  // XMPPFED_AGENT_SERVICE_BATCH_RUN_H_
