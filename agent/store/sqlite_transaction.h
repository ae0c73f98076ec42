// A partner transaction of the SQLite store: the writer connection inside
// an open write transaction, remembering what it wrote for the change
// listener.
#ifndef XMPPFED_AGENT_STORE_SQLITE_TRANSACTION_H_
#define XMPPFED_AGENT_STORE_SQLITE_TRANSACTION_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "agent/store/sqlite_audit.h"
#include "agent/store/sqlite_connection.h"
#include "agent/store/sqlite_partners.h"
#include "agent/store/store.h"

namespace xmppfed::store::sqlite {

// The writer connection inside an open write transaction. One timestamp
// for the whole transaction: its changes become visible at one instant.
class SqlitePartnerTransaction : public PartnerTransaction {
 public:
  explicit SqlitePartnerTransaction(Connection* conn)
      : conn_(conn), now_us_(NowMicros()) {}

  // What the transaction did: each partner it wrote once, in the order
  // first written, as upserted in its last state or as removed when its last
  // write removed it.
  void TakeChange(StoreChange* change) {
    for (Written& written : written_) {
      if (written.removed) {
        change->removed.push_back(written.partner.identity());
      } else {
        change->upserted.push_back(std::move(written.partner));
      }
    }
    written_.clear();
    written_at_.clear();
  }

  absl::StatusOr<std::optional<v1::Partner>> GetPartner(
      std::string_view identity) override {
    return ReadPartner(conn_, identity);
  }
  absl::StatusOr<std::optional<std::string>> FindDomainOwner(
      std::string_view domain) override {
    return ReadDomainOwner(conn_, domain);
  }
  absl::StatusOr<v1::Partner> CreatePartner(
      const v1::Partner& partner) override {
    return Remember(InsertPartner(conn_, partner, now_us_));
  }
  absl::StatusOr<v1::Partner> UpdatePartner(
      const v1::Partner& partner,
      std::optional<uint64_t> expected_revision) override {
    return Remember(ReplacePartner(conn_, partner, expected_revision, now_us_));
  }
  absl::StatusOr<v1::Partner> DeletePartner(
      std::string_view identity) override {
    return Remember(TakePartner(conn_, identity), /*removed=*/true);
  }
  absl::StatusOr<v1::Partner> RestorePartner(
      const v1::Partner& partner) override {
    return Remember(RestorePartnerRow(conn_, partner));
  }
  absl::StatusOr<uint64_t> PutAuditEntry(const v1::AuditEntry& entry) override {
    return sqlite::PutAuditEntry(conn_, entry);
  }

 private:
  struct Written {
    v1::Partner partner;
    bool removed = false;
  };

  absl::StatusOr<v1::Partner> Remember(absl::StatusOr<v1::Partner> stored,
                                       bool removed = false) {
    if (!stored.ok()) return stored;
    auto [it, added] =
        written_at_.try_emplace(stored->identity(), written_.size());
    if (added) {
      written_.push_back({*stored, removed});
    } else {
      written_[it->second] = {*stored, removed};
    }
    return stored;
  }

  Connection* conn_;
  int64_t now_us_;
  std::vector<Written> written_;
  absl::flat_hash_map<std::string, size_t> written_at_;
};

}  // namespace xmppfed::store::sqlite

#endif  // XMPPFED_AGENT_STORE_SQLITE_TRANSACTION_H_
