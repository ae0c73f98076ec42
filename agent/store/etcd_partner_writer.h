// Partner changes on the etcd store, as writes into an EtcdWriteSet: the
// building block of every partner write, one change (CreatePartner) or
// many (RunPartnerTransaction).
//
// Reads see etcd at one revision (pinned by the first read, so the whole
// change works from one consistent snapshot) under the set's own writes.
// Every refusal of the Store contract is found before the set changes, so
// a refused change leaves it as it was. A change that would not fit the
// set (etcd's limits, see etcd_write_set.h) is refused with
// RESOURCE_EXHAUSTED while the set holds other writes (the caller may
// commit them and go on), and as a rule broken (INVALID_ARGUMENT naming
// additionalDomains) when it could not fit even alone.
#ifndef XMPPFED_AGENT_STORE_ETCD_PARTNER_WRITER_H_
#define XMPPFED_AGENT_STORE_ETCD_PARTNER_WRITER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "agent/store/etcd_keys.h"
#include "agent/store/etcd_transaction_view.h"
#include "agent/store/etcd_write_set.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::store {

class EtcdPartnerWriter {
 public:
  // `view` and `keys` must outlive the writer; it writes into the view's
  // write set.
  EtcdPartnerWriter(EtcdTransactionView* view, const EtcdKeys* keys)
      : view_(view), keys_(keys), writes_(&view->writes()) {}

  // INVALID_ARGUMENT (additionalDomains) when `partner` could not be
  // written even alone in one etcd transaction.
  static absl::Status CheckFitsAlone(const v1::Partner& partner);

  absl::StatusOr<std::optional<v1::Partner>> GetPartner(
      std::string_view identity);
  absl::StatusOr<std::optional<std::string>> FindDomainOwner(
      std::string_view domain);

  // As Store::CreatePartner / UpdatePartner, into the set; `now_us` stamps
  // the change.
  absl::StatusOr<v1::Partner> CreatePartner(const v1::Partner& partner,
                                            int64_t now_us);
  absl::StatusOr<v1::Partner> UpdatePartner(
      const v1::Partner& partner, std::optional<uint64_t> expected_revision,
      int64_t now_us);
  // As CreatePartner, keeping the partner's own revision and timestamps (a
  // store copy).
  absl::StatusOr<v1::Partner> RestorePartner(const v1::Partner& partner);
  // Removes the partner and its domains; NOT_FOUND if absent. Returns the
  // partner as it was.
  absl::StatusOr<v1::Partner> DeletePartner(std::string_view identity);

 private:
  using Read = EtcdTransactionView::Read;
  // `stored` (`given` with sorted domains, bookkeeping set) as a new
  // partner; refusals name domains in `given`'s order.
  absl::StatusOr<v1::Partner> CreateStored(const v1::Partner& given,
                                           const v1::Partner& stored);
  absl::StatusOr<std::optional<v1::Partner>> ReadPartner(
      std::string_view identity, int64_t* mod_revision);
  // Refused unless `keys` more keys of `bytes` fit (see the file comment).
  absl::Status CheckRoom(size_t keys, size_t bytes,
                         std::string_view identity) const;

  EtcdTransactionView* view_;
  const EtcdKeys* keys_;
  EtcdWriteSet* writes_;
};

}  // namespace xmppfed::store

#endif  // XMPPFED_AGENT_STORE_ETCD_PARTNER_WRITER_H_
