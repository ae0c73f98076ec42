// The bulk import use case (import-partners): every record is validated with
// the rules of new-partner (set-partner's with `update` for a partner that
// exists) and written in order, inside store transactions:
//
// * by default one transaction per request message; its results are sent
//   after it commits, so a result received is durable, and a refused record
//   does not stop the others;
// * `atomic`: one transaction for the whole stream, committed only when no
//   record was refused;
// * `what_if`: one transaction, always rolled back: records are checked
//   against each other as well as against the store (a domain claimed twice
//   in one file is refused the second time).
//
// A stream abandoned before its `last` message writes nothing more (and an
// atomic one nothing at all).
//
// Audit: one entry per call, with the counts (changes "created", "updated",
// "unchanged", "refused") and the identities created or updated (at most
// audit::kMaxIdentities listed). In batches, every transaction that changed
// or refused something writes the entry as it then stands, in the same
// transaction, so the entry always says exactly what was committed. An
// atomic import that was refused is recorded as refused; a what-if is not
// recorded.
#ifndef XMPPFED_AGENT_SERVICE_PARTNER_IMPORTER_H_
#define XMPPFED_AGENT_SERVICE_PARTNER_IMPORTER_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "agent/audit/audit_trail.h"
#include "agent/store/store.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::service {

class PartnerImporter {
 public:
  // Fills the next request message; false when the client went away.
  using ReadRequest = std::function<bool(v1::ImportPartnersRequest*)>;
  // Sends a reply message; false when the client went away.
  using WriteReply = std::function<bool(const v1::ImportPartnersReply&)>;

  // `store` and `trail` must outlive the importer. `local_domains` are
  // normalised.
  PartnerImporter(store::Store* store, std::vector<std::string> local_domains,
                  audit::AuditTrail* trail);

  // OK when the import ran to its end, whatever was refused (the results
  // say); CANCELLED when the client went away; the store's error when it
  // failed (the current transaction is then rolled back).
  absl::Status Import(const ReadRequest& read, const WriteReply& write,
                      const audit::Actor& actor);

 private:
  struct Run;

  absl::Status ImportInOneTransaction(Run& run, const ReadRequest& read,
                                      const WriteReply& write);
  // `request` holds the first message, already read.
  absl::Status ImportInBatches(Run& run, v1::ImportPartnersRequest& request,
                               const ReadRequest& read,
                               const WriteReply& write);
  // The results of one message's records; an error only for a failure of
  // the store itself.
  absl::StatusOr<v1::ImportPartnersReply> ImportRecords(
      Run& run, store::PartnerTransaction& txn,
      const v1::ImportPartnersRequest& request);
  absl::StatusOr<v1::ImportResult> ImportRecord(Run& run,
                                                store::PartnerTransaction& txn,
                                                const v1::ImportRecord& record);
  // The run's entry as it stands: counts, identities, result.
  static void FillEntry(Run& run);
  // Warns about the partners whose TLS the committed records weakened.
  static void LogWeakened(const Run& run);

  store::Store* store_;
  std::vector<std::string> local_domains_;
  audit::AuditTrail* trail_;
};

}  // namespace xmppfed::service

#endif  // XMPPFED_AGENT_SERVICE_PARTNER_IMPORTER_H_
