// The bulk import use case (import-partners): every record is validated with
// the rules of new-partner (set-partner's with `update` for a partner that
// exists, see partner_writes.h) and written in order, inside store
// transactions as batch_run.h describes: one per request message by default,
// one for the whole stream with `atomic` (committed only when no record was
// refused) or `what_if` (always rolled back).
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

  // The results of one message's records from `first` on (see
  // BatchStream::apply); an error only for a failure of the store itself.
  absl::StatusOr<int> ImportRecords(Run& run, store::PartnerTransaction& txn,
                                    const v1::ImportPartnersRequest& request,
                                    int first, v1::ImportPartnersReply* reply);
  absl::StatusOr<v1::ImportResult> ImportRecord(Run& run,
                                                store::PartnerTransaction& txn,
                                                const v1::ImportRecord& record);

  store::Store* store_;
  std::vector<std::string> local_domains_;
};

}  // namespace xmppfed::service

#endif  // XMPPFED_AGENT_SERVICE_PARTNER_IMPORTER_H_
