// Partners by every one of their domains (identity and additional domains),
// for the policy snapshot. A copy of an index shares its shards with the
// original, and a change copies only the shards it touches: patching one
// partner into an index of a million domains copies a few thousand entries,
// not the million. Lookups are one hash of the domain and one probe; a
// wildcard additional domain is kept under its own key "*.BASE", and a
// domain no partner owns exactly costs one more lookup per label.
//
// Not thread-safe to change; a copy that is no longer changed may be read
// from any number of threads.
#ifndef XMPPFED_AGENT_SNAPSHOT_DOMAIN_INDEX_H_
#define XMPPFED_AGENT_SNAPSHOT_DOMAIN_INDEX_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "agent/snapshot/partner_policy.h"

namespace xmppfed::snapshot {

using PartnerRef = std::shared_ptr<const PartnerPolicy>;

class DomainIndex {
 public:
  DomainIndex();

  // The partner owning `domain` (exact, lower-case A-label), nullptr when
  // none. Valid as long as this index is.
  const PartnerPolicy* Find(std::string_view domain) const;
  // The owner of the longest wildcard "*.SUFFIX" covering `domain`
  // (policy::WildcardCovers), which makes nested wildcards of different
  // partners unambiguous; nullptr when none. One hash lookup per label of
  // `domain` but the last; exact owners are Find's (they win: look there
  // first).
  const PartnerPolicy* FindWildcard(std::string_view domain) const;
  // The partner whose identity is `identity`, null when none.
  PartnerRef FindIdentity(std::string_view identity) const;
  size_t partner_count() const { return partner_count_; }
  size_t domain_count() const { return domain_count_; }
  // Every partner once, in no particular order, until `visit` returns false.
  void ForEachPartner(
      const std::function<bool(const PartnerRef&)>& visit) const;

  // Adds `partner`, replacing the partner of the same identity: its domains
  // are dropped first, then every domain of `partner` points to it (taking
  // a domain over from another partner, as a change that moves a domain
  // does before that partner is upserted too).
  void Upsert(PartnerRef partner);
  // Drops the partner and the domains still pointing to it; no-op when
  // there is none.
  void Remove(std::string_view identity);

 private:
  // Keys view into the partners' own buffers: a partner outlives its keys
  // because the identity shards own it and every key of it is erased (never
  // overwritten in place) before it is released.
  using DomainShard =
      absl::flat_hash_map<std::string_view, const PartnerPolicy*>;
  using IdentityShard = absl::flat_hash_map<std::string_view, PartnerRef>;

  static size_t ShardOf(std::string_view key, size_t shards);
  // The shard, copied first when another index shares it.
  DomainShard& MutableDomainShard(std::string_view domain);
  IdentityShard& MutableIdentityShard(std::string_view identity);

  std::vector<std::shared_ptr<DomainShard>> domains_;
  std::vector<std::shared_ptr<IdentityShard>> identities_;
  size_t partner_count_ = 0;
  size_t domain_count_ = 0;
};

}  // namespace xmppfed::snapshot

#endif  // XMPPFED_AGENT_SNAPSHOT_DOMAIN_INDEX_H_
