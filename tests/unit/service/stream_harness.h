// The bulk streams' use cases (import-partners, pipeline input) driven
// in-process as the rpc layer drives them: request messages fed from
// batches of records, every reply message kept.
#ifndef XMPPFED_TESTS_UNIT_SERVICE_STREAM_HARNESS_H_
#define XMPPFED_TESTS_UNIT_SERVICE_STREAM_HARNESS_H_

#include <deque>
#include <functional>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"

namespace xmppfed::testing {

// What a client saw: every reply message, in order.
template <typename Reply>
struct StreamOutcome {
  using ResultType = std::decay_t<decltype(std::declval<Reply>().results(0))>;
  using SummaryType = std::decay_t<decltype(std::declval<Reply>().summary())>;

  absl::Status status;
  std::vector<Reply> replies;

  std::vector<ResultType> Results() const {
    std::vector<ResultType> results;
    for (const Reply& reply : replies) {
      results.insert(results.end(), reply.results().begin(),
                     reply.results().end());
    }
    return results;
  }
  // The summary of the last message; empty when the stream did not end.
  SummaryType Summary() const {
    return replies.empty() || !replies.back().last() ? SummaryType()
                                                     : replies.back().summary();
  }
};

// Feeds `batches` to `run` (the use case, called with a read and a write
// function) as request messages, `options` on the first and `last` on the
// final one unless `abandon`; `add` puts one record into a message.
template <typename Request, typename Reply, typename Options, typename Record,
          typename Run, typename Add>
StreamOutcome<Reply> FeedStream(Run run, const Options& options,
                                std::vector<std::vector<Record>> batches,
                                bool abandon, Add add) {
  std::deque<Request> requests;
  for (auto& batch : batches) {
    Request request;
    for (auto& record : batch) add(&request, std::move(record));
    requests.push_back(std::move(request));
  }
  if (requests.empty()) requests.emplace_back();
  *requests.front().mutable_options() = options;
  if (!abandon) requests.back().set_last(true);
  StreamOutcome<Reply> outcome;
  outcome.status = run(
      [&](Request* request) {
        if (requests.empty()) return false;
        *request = std::move(requests.front());
        requests.pop_front();
        return true;
      },
      [&](const Reply& reply) {
        outcome.replies.push_back(reply);
        return true;
      });
  return outcome;
}

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_UNIT_SERVICE_STREAM_HARNESS_H_
