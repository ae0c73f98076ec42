// A store::Store for the keeper's tests: forwards everything to a real
// store, but can refuse reads or invitation writes on demand, count calls,
// hold back change notices, and deliver a notice the test makes up (as an
// etcd store does for other nodes' changes).
#ifndef XMPPFED_TESTS_UNIT_SNAPSHOT_FLAKY_STORE_H_
#define XMPPFED_TESTS_UNIT_SNAPSHOT_FLAKY_STORE_H_

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "agent/store/store.h"

namespace xmppfed::snapshot::testing {

class FlakyStore : public store::Store {
 public:
  explicit FlakyStore(store::Store* real) : real_(real) {}

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
      const v1::Partner& partner) override {
    return real_->CreatePartner(partner);
  }
  absl::StatusOr<v1::Partner> UpdatePartner(
      const v1::Partner& partner,
      std::optional<uint64_t> expected_revision) override {
    return real_->UpdatePartner(partner, expected_revision);
  }
  absl::StatusOr<std::vector<v1::Partner>> DeletePartners(
      const std::vector<std::string>& identities) override {
    return real_->DeletePartners(identities);
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
      std::optional<uint64_t> expected_revision) override {
    return real_->PutGatewayConfig(config, dialback_passphrase,
                                   expected_revision);
  }
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
    {
      std::lock_guard<std::mutex> lock(mutex_);
      listener_ =
          listener ? std::make_shared<Listener>(std::move(listener)) : nullptr;
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
};

}  // namespace xmppfed::snapshot::testing

#endif  // XMPPFED_TESTS_UNIT_SNAPSHOT_FLAKY_STORE_H_
