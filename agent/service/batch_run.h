// How a bulk stream (import-partners, the pipeline verbs) meets the store's
// transactions. The client sends request messages of records; each message
// is applied in order, inside a transaction, and its results are sent back
// (in several reply messages when they would make one of more than about
// kReplyBytes, as results that carry partners can):
//
// * kPerMessage: one transaction per message (per reply's worth of its
//   records, and per transaction the store can commit at once: etcd's hold
//   at most 128 keys, a record never split); its results are sent after it
//   commits, so a result received is durable, and a refused record does not
//   stop the others;
// * kAllOrNothing (--atomic): one transaction for the whole stream,
//   committed only when no record failed; on etcd the whole stream must fit
//   one etcd transaction, else nothing is written (RESOURCE_EXHAUSTED);
// * kDryRun (--what-if): one transaction for the whole stream, always rolled
//   back (so bound by no store limit: RunPartnerDryRun), so records are
//   checked against each other as well as the store.
//
// No mode holds the store's write lock while it waits for the client: the
// per-message mode reads a message, then commits it; the other two stage
// the whole stream in memory first (the CLI sends about 1 MiB per message),
// then apply it in one short transaction, sending the results after it
// ended.
//
// A stream abandoned before its `last` message writes nothing more (and an
// all-or-nothing one nothing at all).
#ifndef XMPPFED_AGENT_SERVICE_BATCH_RUN_H_
#define XMPPFED_AGENT_SERVICE_BATCH_RUN_H_

#include <cstddef>
#include <functional>
#include <utility>
#include <vector>

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
// Results of a whole-stream transaction kept until it ended; past this they
// are sent while it runs.
inline constexpr std::size_t kHeldReplyBytes = 64 << 20;

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

// Whether `status`, a record's write at index `index` of a message applied
// from `first`, says that the store's transaction is full (etcd's limits)
// while it holds earlier records of the message: `apply` then returns
// `index`, the transaction commits, and the record goes into the next one.
// A record that does not fit even an empty transaction is an error.
inline bool TransactionFull(const absl::Status& status, int index, int first) {
  return status.code() == absl::StatusCode::kResourceExhausted && index > first;
}

// The error of an all-or-nothing run that failed as a whole: says what a
// store limit or a race with another node means for it.
absl::Status AllOrNothingFailed(const absl::Status& status);

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
  // Optional: runs in every transaction that is about to commit, after its
  // records (the run's audit entry is written there, with what it records);
  // an error rolls the transaction back and ends the run.
  std::function<absl::Status(store::PartnerTransaction&)> before_commit =
      nullptr;
  // Optional: runs after every commit.
  std::function<void()> after_commit = nullptr;
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
              if (stream.before_commit) {
                if (absl::Status ready = stream.before_commit(txn);
                    !ready.ok()) {
                  return ready;
                }
              }
              return store::TransactionEnd::kCommit;
            });
        if (!status.ok()) return status;
        // What was just committed counts even if the client goes away now.
        *committed = true;
        if (stream.after_commit) stream.after_commit();
        if (!stream.write(reply)) return ClientGone();
      }
      if (request.last()) return absl::OkStatus();
      if (!stream.read(&request)) return ClientGone();
    }
  }
  // The whole stream is read before the write lock is taken (staged), so a
  // client that is slow to send, or stalls, never holds the store; then one
  // short transaction applies it. Its replies are kept until it ended (up
  // to kHeldReplyBytes; past that they go out as they come, the client being
  // one that reads them).
  std::vector<Request> staged;
  staged.push_back(std::move(request));
  while (!staged.back().last()) {
    Request next;
    if (!stream.read(&next)) return ClientGone();
    staged.push_back(std::move(next));
  }
  std::vector<Reply> held;
  size_t held_bytes = 0;
  bool spilled = false;
  auto deliver = [&](Reply reply) {
    if (!spilled && held_bytes + reply.ByteSizeLong() <= kHeldReplyBytes) {
      held_bytes += reply.ByteSizeLong();
      held.push_back(std::move(reply));
      return true;
    }
    spilled = true;
    for (const Reply& earlier : held) {
      if (!stream.write(earlier)) return false;
    }
    held.clear();
    return stream.write(reply);
  };
  bool commit = false;
  auto body = [&](store::PartnerTransaction& txn)
      -> absl::StatusOr<store::TransactionEnd> {
    for (const Request& message : staged) {
      for (int done = 0; done < RecordCount(message);) {
        Reply reply;
        absl::StatusOr<int> next = stream.apply(txn, message, done, &reply);
        if (!next.ok()) return next.status();
        done = *next;
        if (!deliver(std::move(reply))) return ClientGone();
      }
    }
    commit = mode == BatchMode::kAllOrNothing && !stream.any_failed();
    if (!commit) return store::TransactionEnd::kRollBack;
    if (stream.before_commit) {
      if (absl::Status ready = stream.before_commit(txn); !ready.ok()) {
        return ready;
      }
    }
    return store::TransactionEnd::kCommit;
  };
  absl::Status status = mode == BatchMode::kDryRun
                            ? store.RunPartnerDryRun(body)
                            : store.RunPartnerTransaction(body);
  *committed = status.ok() && commit;
  if (*committed && stream.after_commit) stream.after_commit();
  if (mode == BatchMode::kAllOrNothing) status = AllOrNothingFailed(status);
  if (!status.ok()) return status;
  for (const Reply& reply : held) {
    if (!stream.write(reply)) return ClientGone();
  }
  return absl::OkStatus();
}

}  // namespace xmppfed::service

#endif  // XMPPFED_AGENT_SERVICE_BATCH_RUN_H_
