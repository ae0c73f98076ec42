// Everything the federation edge decides from, in memory: partners by every
// domain, the gateway settings, the dialback secret and the local domains
// (SPEC §3, §4). A published snapshot is immutable and read without locks
// by any thread; a new one is a cheap copy of the last (the partner index
// shares its unchanged shards, agent/snapshot/domain_index.h) patched with
// one committed change of the store and published with one atomic swap
// (agent/snapshot/policy_source.h).
#ifndef XMPPFED_AGENT_SNAPSHOT_POLICY_SNAPSHOT_H_
#define XMPPFED_AGENT_SNAPSHOT_POLICY_SNAPSHOT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agent/snapshot/domain_index.h"
#include "agent/snapshot/partner_policy.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::snapshot {

class PolicySnapshot {
 public:
  // No partners, the gateway's defaults, no secret; `local_domains` are
  // normalised.
  explicit PolicySnapshot(std::vector<std::string> local_domains);
  // A copy to patch: shares the partner index's shards with `other`.
  PolicySnapshot(const PolicySnapshot& other) = default;
  PolicySnapshot& operator=(const PolicySnapshot&) = delete;

  // The partner `domain` belongs to: its exact owner (identity or additional
  // domain), else the one with the longest wildcard additional domain
  // covering it (DomainIndex::FindWildcard); nullptr when none. A local
  // domain is never a partner's.
  // Valid while this snapshot is; hold Partner() to keep it.
  const PartnerPolicy* PartnerFor(std::string_view domain) const;
  // The same, as an owning reference (a live stream keeps its partner).
  PartnerRef Partner(std::string_view domain) const;
  const DomainIndex& partners() const { return partners_; }

  bool IsLocal(std::string_view domain) const;
  const std::vector<std::string>& local_domains() const {
    return local_domains_;
  }
  const v1::GatewayConfig& gateway() const { return gateway_; }
  const std::string& dialback_secret() const { return dialback_secret_; }
  // The partner's streams limit: its own, else the gateway's.
  uint32_t ConnectionLimitFor(const PartnerPolicy& partner) const;
  // The store's revision this snapshot reflects (StoreChange::revision).
  uint64_t revision() const { return revision_; }

  // Patching, before the snapshot is published (never after).
  void UpsertPartner(const v1::Partner& partner);
  void RemovePartner(std::string_view identity);
  // `gateway` as stored; fields it lacks (stored by an older agent) take
  // their defaults.
  void SetGateway(const v1::GatewayConfig& gateway, std::string secret);
  void set_revision(uint64_t revision) { revision_ = revision; }

 private:
  DomainIndex partners_;
  std::vector<std::string> local_domains_;
  v1::GatewayConfig gateway_;
  std::string dialback_secret_;
  uint64_t revision_ = 0;
};

}  // namespace xmppfed::snapshot

#endif  // XMPPFED_AGENT_SNAPSHOT_POLICY_SNAPSHOT_H_
