// test-partner -: the live check of test-partner for each target a client
// streams, several at once, one result per target in input order.
//
// Concurrency: at most kConcurrentChecks (8) checks run at once. A check
// spends nearly all its time waiting on the network (DNS, the partner's
// server, its dialback connection back to this edge), so running several
// divides the wall time of a long list by about that much; but each one
// opens connections and makes TLS handshakes on the edge's loop thread,
// which live federation traffic shares, and on partners' servers (often
// several targets are domains of one server). Eight keeps a check of a few
// hundred partners to minutes while adding at most a few handshakes at a
// time to the loop. Results are written in input order; finished results
// wait for a slower one before them, at most kWindow (64) of them, so
// memory stays bounded and a slow check holds up the start of new ones
// only when 64 targets behind it are done.
#ifndef XMPPFED_AGENT_RPC_PARTNER_CHECK_TARGETS_H_
#define XMPPFED_AGENT_RPC_PARTNER_CHECK_TARGETS_H_

#include <cstddef>
#include <functional>
#include <memory>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "agent/rpc/partner_check_api.h"
#include "agent/store/store.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::rpc {

inline constexpr std::size_t kConcurrentChecks = 8;
inline constexpr std::size_t kWindow = 64;

class TargetChecks {
 public:
  // Fills the next request message; false when the client went away. Called
  // from a thread of the checker's own.
  using ReadRequest = std::function<bool(v1::PartnerTargetsRequest*)>;
  // Sends a reply message; false when the client went away.
  using WriteReply = std::function<bool(const v1::PartnerTargetsReply&)>;

  // Each check gets `timeout` (plus kReportSlack for the edge to report).
  // `tester` and `store` must outlive Run.
  TargetChecks(PartnerTester* tester, store::Store* store,
               absl::Duration timeout,
               std::size_t concurrency = kConcurrentChecks,
               std::size_t window = kWindow);

  // Checks the targets of `first` and of every message `read` gives until
  // one is `last`, and writes their results in order, then the summary.
  // `cancel_read` must make a pending `read` return (it is called when the
  // run ends early). OK when every target got its result; CANCELLED when the
  // client went away; the store's error when a lookup failed.
  absl::Status Run(const v1::PartnerTargetsRequest& first,
                   const ReadRequest& read, const WriteReply& write,
                   const std::function<void()>& cancel_read);

 private:
  struct Shared;

  PartnerTester* tester_;
  store::Store* store_;
  absl::Duration timeout_;
  std::size_t concurrency_;
  std::size_t window_;
};

}  // namespace xmppfed::rpc

#endif  // XMPPFED_AGENT_RPC_PARTNER_CHECK_TARGETS_H_
