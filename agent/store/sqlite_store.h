// The embedded SQLite backend of the Store.
//
// One writer connection behind a mutex runs every change in a BEGIN
// IMMEDIATE transaction; reads use a small pool of other connections, each
// seeing the last committed state through WAL without blocking the writer or
// each other. synchronous=FULL makes a commit durable when it returns (it
// survives kill -9 and power loss). The process holds PATH.lock for the
// store's lifetime, so a second agent cannot open the same database.
#ifndef XMPPFED_AGENT_STORE_SQLITE_STORE_H_
#define XMPPFED_AGENT_STORE_SQLITE_STORE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "agent/store/node_record.h"
#include "agent/store/sqlite_connection.h"
#include "agent/store/store.h"
#include "agent/store/store_lock.h"

namespace xmppfed::store {

class SqliteStore : public Store {
 public:
  // Opens the database at `path`, creating missing parent directories (mode
  // 0700) and the file (mode 0600: it holds the dialback passphrase),
  // migrating the schema and generating the dialback passphrase if none is
  // stored. `uri` is what uri() reports.
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(
      std::string uri, const std::string& path);
  ~SqliteStore() override;

  std::string uri() const override { return uri_; }
  absl::StatusOr<std::optional<v1::Partner>> GetPartner(
      std::string_view identity) override;
  absl::StatusOr<std::optional<std::string>> FindDomainOwner(
      std::string_view domain) override;
  absl::Status ForEachPartner(
      std::string_view glob,
      const std::function<bool(const v1::Partner&)>& visit) override;
  absl::StatusOr<uint64_t> CountPartners() override;
  absl::StatusOr<v1::Partner> CreatePartner(
      const v1::Partner& partner, const v1::AuditEntry& audit) override;
  absl::StatusOr<v1::Partner> UpdatePartner(
      const v1::Partner& partner, std::optional<uint64_t> expected_revision,
      const v1::AuditEntry& audit) override;
  absl::StatusOr<std::vector<v1::Partner>> DeletePartners(
      const std::vector<std::string>& identities,
      const DescribeRemoval& describe) override;
  absl::Status RunPartnerTransaction(
      const std::function<absl::StatusOr<TransactionEnd>(PartnerTransaction&)>&
          body) override;
  absl::StatusOr<std::optional<v1::GatewayConfig>> GetGatewayConfig() override;
  absl::StatusOr<v1::GatewayConfig> PutGatewayConfig(
      const v1::GatewayConfig& config,
      const std::optional<std::string>& dialback_passphrase,
      std::optional<uint64_t> expected_revision,
      const v1::AuditEntry& audit) override;
  absl::Status RestoreSettings(const std::optional<v1::GatewayConfig>& config,
                               const std::string& dialback_passphrase) override;
  // In sqlite_store_audit.cc.
  absl::Status AppendAuditEntry(const v1::AuditEntry& entry) override;
  absl::Status ForEachAuditEntry(
      const AuditFilter& filter,
      const std::function<bool(const v1::AuditEntry&)>& visit) override;
  absl::StatusOr<uint64_t> PruneAuditEntries(absl::Time older_than,
                                             uint64_t limit) override;
  absl::StatusOr<std::string> GetDialbackPassphrase() override;
  absl::Status RecordInvitations(
      const std::vector<Invitation>& invitations) override;
  absl::StatusOr<bool> HasInvitation(std::string_view local_jid,
                                     std::string_view remote_jid) override;
  absl::Status ForEachInvitation(
      const std::function<bool(const Invitation&)>& visit) override;
  void SetChangeListener(
      std::function<void(const StoreChange&)> listener) override;
  absl::Status PublishNode(const v1::Node& node) override {
    node_.Publish(node);
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<v1::Node>> ListNodes() override {
    return node_.List();
  }
  // A local file: reachable while the agent runs.
  v1::StoreState GetState() override {
    v1::StoreState state;
    state.set_backend("sqlite");
    state.set_reachable(true);
    return state;
  }

 private:
  // A read connection borrowed from the pool, returned on destruction.
  class Reader {
   public:
    Reader(SqliteStore* store, std::unique_ptr<sqlite::Connection> conn)
        : store_(store), conn_(std::move(conn)) {}
    Reader(Reader&&) = default;
    ~Reader();
    sqlite::Connection* operator->() const { return conn_.get(); }
    sqlite::Connection* get() const { return conn_.get(); }

   private:
    SqliteStore* store_;
    std::unique_ptr<sqlite::Connection> conn_;
  };

  SqliteStore(std::string uri, std::string path,
              std::unique_ptr<StoreLock> lock,
              std::unique_ptr<sqlite::Connection> writer);

  absl::StatusOr<Reader> AcquireReader();
  using Listener = std::function<void(const StoreChange&)>;

  // Runs `change` in one write transaction on the writer connection and, if
  // it committed, tells the listener what it did (`change` fills `*done`).
  // `change` returns its own refusal, which rolls the transaction back.
  absl::Status Write(
      const std::function<absl::Status(sqlite::Connection*, StoreChange* done)>&
          change);
  // Write without telling the listener: for data that is not configuration.
  absl::Status WriteWithoutNotice(
      const std::function<absl::Status(sqlite::Connection*)>& change);
  absl::Status EnsureDialbackPassphrase();
  // Runs `commit` on the writer connection under the write lock. When it
  // committed (true; false: rolled back, no change), numbers the change it
  // filled in, then gives up the write lock and tells the listener, holding
  // the notice lock so that listeners run one at a time in revision order.
  absl::Status CommitThenNotify(
      const std::function<absl::StatusOr<bool>(sqlite::Connection*,
                                               StoreChange* done)>& commit);

  const std::string uri_;
  const std::string path_;
  // Declared first so that it is released last, after every connection.
  std::unique_ptr<StoreLock> lock_;

  absl::Mutex write_mutex_;
  std::unique_ptr<sqlite::Connection> writer_ ABSL_GUARDED_BY(write_mutex_);
  uint64_t revision_ ABSL_GUARDED_BY(write_mutex_) = 0;

  // Taken before the write lock is released and held while the listener
  // runs: notices keep the order of the commits.
  absl::Mutex notice_mutex_ ABSL_ACQUIRED_AFTER(write_mutex_);

  absl::Mutex readers_mutex_;
  std::vector<std::unique_ptr<sqlite::Connection>> idle_readers_
      ABSL_GUARDED_BY(readers_mutex_);

  absl::Mutex listener_mutex_;
  std::shared_ptr<const Listener> listener_ ABSL_GUARDED_BY(listener_mutex_);

  NodeRecord node_;
};

}  // namespace xmppfed::store

#endif  // XMPPFED_AGENT_STORE_SQLITE_STORE_H_
