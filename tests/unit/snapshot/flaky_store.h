// A store::Store for the keeper's tests: forwards everything to a real
// store, but can refuse reads or invitation writes on demand, count calls,
// hold back change notices, deliver a notice the test makes up (as an etcd
// store does for other nodes' changes), and deliver one from another thread
// as soon as a listener is set, replacing the listener only once that
// notice is done (as the etcd store does).
#ifndef XMPPFED_TESTS_UNIT_SNAPSHOT_FLAKY_STORE_H_
#define XMPPFED_TESTS_UNIT_SNAPSHOT_FLAKY_STORE_H_

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "agent/store/store.h"

namespace xmppfed::snapshot::testing {

class FlakyStore : public store::Store {
 public:
  explicit FlakyStore(store::Store* real) : real_(real) {}
  ~FlakyStore() override {
    if (notifier_.joinable()) notifier_.join();
  }

  std::atomic<bool> fail_reads{false};
  std::atomic<bool> fail_invitation_writes{false};
  // Changes committed meanwhile reach no listener.
  std::atomic<bool> mute_notices{false};
  std::atomic<int> partner_scans{0};
  std::atomic<int> invitation_batches{0};

  // Calls the listener as the store would.
  void Notify(const store::StoreChange& change) {
    std::shared_ptr<Listener> listener;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      listener = listener_;
    }
    if (listener && *listener) (*listener)(change);
  }

  // The next listener set gets `change` from another thread, and
  // SetChangeListener returns once that notice is under way; from now on a
  // listener is replaced only once that notice is done (the etcd store
  // waits so for any running notice).
  void NoticeOnNextListener(store::StoreChange change) {
    std::lock_guard<std::mutex> lock(mutex_);
    listener_waits_for_notices_ = true;
    notice_on_listen_ = std::move(change);
  }

  std::string uri() const override { return real_->uri(); }
  absl::StatusOr<std::optional<v1::Partner>> GetPartner(
      std::string_view identity) override {
    if (fail_reads) return Unavailable();
    return real_->GetPartner(identity);
  }
  absl::StatusOr<std::optional<std::string>> FindDomainOwner(
      std::string_view domain) override {
    if (fail_reads) return Unavailable();
    return real_->FindDomainOwner(domain);
  }
  absl::Status ForEachPartner(
      std::string_view glob,
      const std::function<bool(const v1::Partner&)>& visit) override {
    ++partner_scans;
    if (fail_reads) return Unavailable();
    return real_->ForEachPartner(glob, visit);
  }
  absl::StatusOr<uint64_t> CountPartners() override {
    return real_->CountPartners();
  }
  absl::StatusOr<v1::Partner> CreatePartner(
      const v1::Partner& partner, const v1::AuditEntry& audit) override {
    return real_->CreatePartner(partner, audit);
  }
  absl::StatusOr<v1::Partner> UpdatePartner(
      const v1::Partner& partner, std::optional<uint64_t> expected_revision,
      const v1::AuditEntry& audit) override {
    return real_->UpdatePartner(partner, expected_revision, audit);
  }
  absl::StatusOr<std::vector<v1::Partner>> DeletePartners(
      const std::vector<std::string>& identities,
      const DescribeRemoval& describe) override {
    return real_->DeletePartners(identities, describe);
  }
  absl::Status RunPartnerTransaction(
      const std::function<absl::StatusOr<store::TransactionEnd>(
          store::PartnerTransaction&)>& body) override {
    return real_->RunPartnerTransaction(body);
  }
  absl::StatusOr<std::optional<v1::GatewayConfig>> GetGatewayConfig() override {
    if (fail_reads) return Unavailable();
    return real_->GetGatewayConfig();
  }
  absl::StatusOr<v1::GatewayConfig> PutGatewayConfig(
      const v1::GatewayConfig& config,
      const std::optional<std::string>& dialback_passphrase,
      std::optional<uint64_t> expected_revision,
      const v1::AuditEntry& audit) override {
    return real_->PutGatewayConfig(config, dialback_passphrase,
                                   expected_revision, audit);
  }
  absl::Status AppendAuditEntry(const v1::AuditEntry& entry) override {
    return real_->AppendAuditEntry(entry);
  }
  absl::Status ForEachAuditEntry(
      const store::AuditFilter& filter,
      const std::function<bool(const v1::AuditEntry&)>& visit) override {
    return real_->ForEachAuditEntry(filter, visit);
  }
  absl::StatusOr<uint64_t> PruneAuditEntries(absl::Time older_than,
                                             uint64_t limit) override {
    return real_->PruneAuditEntries(older_than, limit);
  }
  absl::Status RestoreSettings(const std::optional<v1::GatewayConfig>& config,
                               const std::string& passphrase) override {
    return real_->RestoreSettings(config, passphrase);
  }
  absl::Status PublishNode(const v1::Node& node) override {
    return real_->PublishNode(node);
  }
  absl::StatusOr<std::vector<v1::Node>> ListNodes() override {
    return real_->ListNodes();
  }
  v1::StoreState GetState() override { return real_->GetState(); }
  absl::StatusOr<std::string> GetDialbackPassphrase() override {
    if (fail_reads) return Unavailable();
    return real_->GetDialbackPassphrase();
  }
  absl::Status RecordInvitations(
      const std::vector<store::Invitation>& invitations) override {
    ++invitation_batches;
    if (fail_invitation_writes) return Unavailable();
    return real_->RecordInvitations(invitations);
  }
  absl::StatusOr<bool> HasInvitation(std::string_view local_jid,
                                     std::string_view remote_jid) override {
    return real_->HasInvitation(local_jid, remote_jid);
  }
  absl::Status ForEachInvitation(
      const std::function<bool(const store::Invitation&)>& visit) override {
    if (fail_reads) return Unavailable();
    return real_->ForEachInvitation(visit);
  }
  void SetChangeListener(
      std::function<void(const store::StoreChange&)> listener) override {
    bool between_notices_only;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      between_notices_only = listener_waits_for_notices_;
    }
    std::optional<store::StoreChange> notice;
    {
      std::unique_lock<std::mutex> between_notices(notice_mutex_,
                                                   std::defer_lock);
      if (between_notices_only) between_notices.lock();
      std::lock_guard<std::mutex> lock(mutex_);
      listener_ =
          listener ? std::make_shared<Listener>(std::move(listener)) : nullptr;
      if (listener_ != nullptr) {
        notice = std::exchange(notice_on_listen_, std::nullopt);
        notice_under_way_ = false;
      }
    }
    if (notice.has_value()) {
      notifier_ = std::thread([this, change = *std::move(notice)] {
        std::lock_guard<std::mutex> running(notice_mutex_);
        std::shared_ptr<Listener> listener;
        {
          std::lock_guard<std::mutex> lock(mutex_);
          listener = listener_;
          notice_under_way_ = true;
        }
        under_way_.notify_all();
        if (listener != nullptr) (*listener)(change);
      });
      std::unique_lock<std::mutex> lock(mutex_);
      under_way_.wait(lock, [this] { return notice_under_way_; });
    }
    if (!listener_registered_) {
      listener_registered_ = true;
      real_->SetChangeListener([this](const store::StoreChange& change) {
        if (!mute_notices) Notify(change);
      });
    }
  }

 private:
  using Listener = std::function<void(const store::StoreChange&)>;
  static absl::Status Unavailable() {
    return absl::UnavailableError("the test made the store unavailable");
  }

  store::Store* real_;
  std::mutex mutex_;
  std::shared_ptr<Listener> listener_;
  bool listener_registered_ = false;
  // NoticeOnNextListener: held while that notice runs.
  std::mutex notice_mutex_;
  bool listener_waits_for_notices_ = false;
  std::optional<store::StoreChange> notice_on_listen_;
  std::condition_variable under_way_;
  bool notice_under_way_ = false;
  std::thread notifier_;
};

}  // namespace xmppfed::snapshot::testing

#endif  // XMPPFED_TESTS_UNIT_SNAPSHOT_FLAKY_STORE_H_
