// A Store that times every call of the store it wraps into
// xmppfed_store_request_duration_seconds (operation "read", or "write" for
// anything that commits), and otherwise behaves exactly as that store. The
// agent wraps its store in one when metrics are on. Streaming reads
// (ForEach...) are timed whole, their visitors included.
#ifndef XMPPFED_AGENT_METRICS_TIMED_STORE_H_
#define XMPPFED_AGENT_METRICS_TIMED_STORE_H_

#include <memory>

#include "agent/metrics/agent_metrics.h"
#include "agent/store/store.h"

namespace xmppfed::metrics {

class TimedStore final : public store::Store {
 public:
  // `timings` must outlive this store.
  TimedStore(std::unique_ptr<store::Store> inner, StoreTimings* timings);

  std::string uri() const override { return inner_->uri(); }
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
      const std::function<absl::StatusOr<store::TransactionEnd>(
          store::PartnerTransaction&)>& body) override;
  absl::Status RunPartnerDryRun(
      const std::function<absl::StatusOr<store::TransactionEnd>(
          store::PartnerTransaction&)>& body) override;
  absl::StatusOr<std::optional<v1::GatewayConfig>> GetGatewayConfig() override;
  absl::StatusOr<v1::GatewayConfig> PutGatewayConfig(
      const v1::GatewayConfig& config,
      const std::optional<std::string>& dialback_passphrase,
      std::optional<uint64_t> expected_revision,
      const v1::AuditEntry& audit) override;
  absl::Status AppendAuditEntry(const v1::AuditEntry& entry) override;
  absl::Status ForEachAuditEntry(
      const store::AuditFilter& filter,
      const std::function<bool(const v1::AuditEntry&)>& visit) override;
  absl::StatusOr<uint64_t> PruneAuditEntries(absl::Time older_than,
                                             uint64_t limit) override;
  absl::Status RestoreSettings(const std::optional<v1::GatewayConfig>& config,
                               const std::string& dialback_passphrase) override;
  absl::StatusOr<std::string> GetDialbackPassphrase() override;
  absl::Status RecordInvitations(
      const std::vector<store::Invitation>& invitations) override;
  absl::StatusOr<bool> HasInvitation(std::string_view local_jid,
                                     std::string_view remote_jid) override;
  absl::Status ForEachInvitation(
      const std::function<bool(const store::Invitation&)>& visit) override;
  void SetChangeListener(
      std::function<void(const store::StoreChange&)> listener) override {
    inner_->SetChangeListener(std::move(listener));
  }
  absl::Status PublishNode(const v1::Node& node) override;
  absl::StatusOr<std::vector<v1::Node>> ListNodes() override;
  v1::StoreState GetState() override { return inner_->GetState(); }

 private:
  // Runs `call` on the inner store and records how long it took.
  template <typename Call>
  auto Timed(StoreOperation operation, Call&& call);

  std::unique_ptr<store::Store> inner_;
  StoreTimings* timings_;
};

}  // namespace xmppfed::metrics

#endif  // XMPPFED_AGENT_METRICS_TIMED_STORE_H_
