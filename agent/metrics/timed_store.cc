#include "agent/metrics/timed_store.h"

#include <chrono>

namespace xmppfed::metrics {

using store::Invitation;
using store::PartnerTransaction;
using store::TransactionEnd;
using Body = std::function<absl::StatusOr<TransactionEnd>(PartnerTransaction&)>;

TimedStore::TimedStore(std::unique_ptr<store::Store> inner,
                       StoreTimings* timings)
    : inner_(std::move(inner)), timings_(timings) {}

template <typename Call>
auto TimedStore::Timed(StoreOperation operation, Call&& call) {
  auto start = std::chrono::steady_clock::now();
  auto result = call(*inner_);
  timings_->ObserveStore(
      operation,
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count());
  return result;
}

constexpr StoreOperation kRead = StoreOperation::kRead;
constexpr StoreOperation kWrite = StoreOperation::kWrite;

absl::StatusOr<std::optional<v1::Partner>> TimedStore::GetPartner(
    std::string_view identity) {
  return Timed(kRead, [&](Store& s) { return s.GetPartner(identity); });
}

absl::StatusOr<std::optional<std::string>> TimedStore::FindDomainOwner(
    std::string_view domain) {
  return Timed(kRead, [&](Store& s) { return s.FindDomainOwner(domain); });
}

absl::Status TimedStore::ForEachPartner(
    std::string_view glob,
    const std::function<bool(const v1::Partner&)>& visit) {
  return Timed(kRead, [&](Store& s) { return s.ForEachPartner(glob, visit); });
}

absl::StatusOr<uint64_t> TimedStore::CountPartners() {
  return Timed(kRead, [&](Store& s) { return s.CountPartners(); });
}

absl::StatusOr<v1::Partner> TimedStore::CreatePartner(
    const v1::Partner& partner, const v1::AuditEntry& audit) {
  return Timed(kWrite,
               [&](Store& s) { return s.CreatePartner(partner, audit); });
}

absl::StatusOr<v1::Partner> TimedStore::UpdatePartner(
    const v1::Partner& partner, std::optional<uint64_t> expected_revision,
    const v1::AuditEntry& audit) {
  return Timed(kWrite, [&](Store& s) {
    return s.UpdatePartner(partner, expected_revision, audit);
  });
}

absl::StatusOr<std::vector<v1::Partner>> TimedStore::DeletePartners(
    const std::vector<std::string>& identities,
    const DescribeRemoval& describe) {
  return Timed(
      kWrite, [&](Store& s) { return s.DeletePartners(identities, describe); });
}

absl::Status TimedStore::RunPartnerTransaction(const Body& body) {
  return Timed(kWrite, [&](Store& s) { return s.RunPartnerTransaction(body); });
}

absl::Status TimedStore::RunPartnerDryRun(const Body& body) {
  return Timed(kRead, [&](Store& s) { return s.RunPartnerDryRun(body); });
}

absl::StatusOr<std::optional<v1::GatewayConfig>>
TimedStore::GetGatewayConfig() {
  return Timed(kRead, [&](Store& s) { return s.GetGatewayConfig(); });
}

absl::StatusOr<v1::GatewayConfig> TimedStore::PutGatewayConfig(
    const v1::GatewayConfig& config,
    const std::optional<std::string>& dialback_passphrase,
    std::optional<uint64_t> expected_revision, const v1::AuditEntry& audit) {
  return Timed(kWrite, [&](Store& s) {
    return s.PutGatewayConfig(config, dialback_passphrase, expected_revision,
                              audit);
  });
}

absl::Status TimedStore::AppendAuditEntry(const v1::AuditEntry& entry) {
  return Timed(kWrite, [&](Store& s) { return s.AppendAuditEntry(entry); });
}

absl::Status TimedStore::ForEachAuditEntry(
    const store::AuditFilter& filter,
    const std::function<bool(const v1::AuditEntry&)>& visit) {
  return Timed(kRead,
               [&](Store& s) { return s.ForEachAuditEntry(filter, visit); });
}

absl::StatusOr<uint64_t> TimedStore::PruneAuditEntries(absl::Time older_than,
                                                       uint64_t limit) {
  return Timed(
      kWrite, [&](Store& s) { return s.PruneAuditEntries(older_than, limit); });
}

absl::Status TimedStore::RestoreSettings(
    const std::optional<v1::GatewayConfig>& config,
    const std::string& dialback_passphrase) {
  return Timed(kWrite, [&](Store& s) {
    return s.RestoreSettings(config, dialback_passphrase);
  });
}

absl::StatusOr<std::string> TimedStore::GetDialbackPassphrase() {
  return Timed(kRead, [&](Store& s) { return s.GetDialbackPassphrase(); });
}

absl::Status TimedStore::RecordInvitations(
    const std::vector<Invitation>& invitations) {
  return Timed(kWrite,
               [&](Store& s) { return s.RecordInvitations(invitations); });
}

absl::StatusOr<bool> TimedStore::HasInvitation(std::string_view local_jid,
                                               std::string_view remote_jid) {
  return Timed(
      kRead, [&](Store& s) { return s.HasInvitation(local_jid, remote_jid); });
}

absl::Status TimedStore::ForEachInvitation(
    const std::function<bool(const Invitation&)>& visit) {
  return Timed(kRead, [&](Store& s) { return s.ForEachInvitation(visit); });
}

absl::Status TimedStore::PublishNode(const v1::Node& node) {
  return Timed(kWrite, [&](Store& s) { return s.PublishNode(node); });
}

absl::StatusOr<std::vector<v1::Node>> TimedStore::ListNodes() {
  return Timed(kRead, [&](Store& s) { return s.ListNodes(); });
}

}  // namespace xmppfed::metrics
