// The pipeline use cases (SPEC §7): set-partner -, remove-partner - and
// get-partner - apply their verb to each target the client streams (one
// identity each, in input order), under exactly the rules of the
// single-target call: writes through partner_writes.h inside the
// transactions of batch_run.h (per message by default, one for the whole
// stream with `atomic` or `what_if`), reads through PartnerManager::Get.
//
// Every target gets one result: updated, unchanged, removed or found;
// not found (NOT_FOUND); refused (any other rule, or input the client could
// not read). With `atomic`, a target refused or not found writes nothing at
// all.
#ifndef XMPPFED_AGENT_SERVICE_PARTNER_TARGETS_H_
#define XMPPFED_AGENT_SERVICE_PARTNER_TARGETS_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "agent/service/partner_manager.h"
#include "agent/store/store.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::service {

// Counts `status` in `summary`.
void CountTarget(v1::TargetStatus status, v1::TargetSummary* summary);

// `result` (line and identity set) refused by `status`: NOT_FOUND becomes
// TARGET_STATUS_NOT_FOUND, any other refusal TARGET_STATUS_REFUSED, with the
// message and its structured detail.
void RefuseTarget(const absl::Status& status, v1::TargetResult* result);

// A result for `target` with its line and identity. When the target cannot
// be applied at all (the client's input error, an identity that is not
// one) the result is refused and false returned; otherwise the identity is
// normalised.
bool StartTarget(const v1::PartnerTarget& target, v1::TargetResult* result);

class PartnerTargets {
 public:
  // Fills the next request message; false when the client went away.
  using ReadRequest = std::function<bool(v1::PartnerTargetsRequest*)>;
  // Sends a reply message; false when the client went away.
  using WriteReply = std::function<bool(const v1::PartnerTargetsReply&)>;

  // All must outlive this. `local_domains` are normalised.
  PartnerTargets(store::Store* store, PartnerManager* partners,
                 std::vector<std::string> local_domains);

  // Each returns OK when the stream ran to its end, whatever the targets'
  // results (the last message carries the summary); CANCELLED when the
  // client went away; the store's error when it failed (the current
  // transaction is then rolled back).

  // set-partner -: the options' fields, after the target's own.
  absl::Status Set(const ReadRequest& read, const WriteReply& write);
  absl::Status Remove(const ReadRequest& read, const WriteReply& write);
  // get-partner -: never writes; `what_if` and `atomic` mean nothing.
  absl::Status Get(const ReadRequest& read, const WriteReply& write);

 private:
  using ApplyTarget = std::function<absl::Status(
      store::PartnerTransaction&, const v1::PartnerTargetOptions&,
      const v1::PartnerTarget&, v1::TargetResult*)>;

  // Runs a writing stream, `apply` handling each target whose identity is
  // valid; `verb` names the run in the log.
  absl::Status RunWrites(const char* verb, const ReadRequest& read,
                         const WriteReply& write, const ApplyTarget& apply);

  store::Store* store_;
  PartnerManager* partners_;
  std::vector<std::string> local_domains_;
};

}  // namespace xmppfed::service

#endif  // XMPPFED_AGENT_SERVICE_PARTNER_TARGETS_H_
