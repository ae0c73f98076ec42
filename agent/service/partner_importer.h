// The bulk import use case (import-partners): every record is validated with
// the rules of new-partner (set-partner's with `update` for a partner that
// exists) and written in order, inside store transactions:
//
// * by default one transaction per request message, or as many as the
//   store needs for it (etcd commits at most 128 keys at once), a record
//   never split; the message's results are sent after they commit, so a
//   result received is durable, and a refused record does not stop the
//   others; a transaction that lost a race with another node's write is
//   run again;
// * `atomic`: one transaction for the whole stream, committed only when no
//   record was refused; on etcd the whole import must fit one etcd
//   transaction, else it fails (RESOURCE_EXHAUSTED) having written nothing;
// * `what_if`: one transaction, always rolled back (with no size limit):
//   records are checked against each other as well as against the store (a
//   domain claimed twice in one file is refused the second time).
//
// A stream abandoned before its `last` message writes nothing more (and an
// atomic one nothing at all).
#ifndef XMPPFED_AGENT_SERVICE_PARTNER_IMPORTER_H_
#define XMPPFED_AGENT_SERVICE_PARTNER_IMPORTER_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "agent/store/store.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::service {

class PartnerImporter {
 public:
  // Fills the next request message; false when the client went away.
  using ReadRequest = std::function<bool(v1::ImportPartnersRequest*)>;
  // Sends a reply message; false when the client went away.
  using WriteReply = std::function<bool(const v1::ImportPartnersReply&)>;

  // `store` must outlive the importer. `local_domains` are normalised.
  PartnerImporter(store::Store* store, std::vector<std::string> local_domains);

  // OK when the import ran to its end, whatever was refused (the results
  // say); CANCELLED when the client went away; the store's error when it
  // failed (the current transaction is then rolled back).
  absl::Status Import(const ReadRequest& read, const WriteReply& write);

 private:
  struct Run;

  absl::Status ImportInOneTransaction(Run& run, const ReadRequest& read,
                                      const WriteReply& write);
  // `request` holds the first message, already read.
  absl::Status ImportInBatches(Run& run, v1::ImportPartnersRequest& request,
                               const ReadRequest& read,
                               const WriteReply& write);
  // Imports the message's records from `first` on into `txn`, a result
  // each in `reply`, until the end or, with `stop_when_full`, until the
  // store's transaction is full (the record that did not fit is left for
  // the next). Returns the index after the last record imported; an error
  // only for a failure of the store itself.
  absl::StatusOr<int> ImportRecords(Run& run, store::PartnerTransaction& txn,
                                    const v1::ImportPartnersRequest& request,
                                    int first, bool stop_when_full,
                                    v1::ImportPartnersReply* reply);
  static void Count(const v1::ImportPartnersReply& reply,
                    v1::ImportSummary* summary);
  absl::StatusOr<v1::ImportResult> ImportRecord(Run& run,
                                                store::PartnerTransaction& txn,
                                                const v1::ImportRecord& record);

  store::Store* store_;
  std::vector<std::string> local_domains_;
};

}  // namespace xmppfed::service

#endif  // XMPPFED_AGENT_SERVICE_PARTNER_IMPORTER_H_
