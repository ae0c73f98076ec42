#include "agent/snapshot/domain_index.h"

#include <utility>

namespace xmppfed::snapshot {
namespace {

// A million domains make shards of about a thousand entries: copying one
// costs tens of microseconds. A shard nobody wrote to is null.
constexpr size_t kDomainShards = 1024;
constexpr size_t kIdentityShards = 256;
// Longer names are no domain (policy::kMaxDomainOctets) and match nothing.
constexpr size_t kMaxCoveredOctets = 253;

// Copy-on-write: a shard referenced by another index (a published snapshot)
// is copied before the first change; one this index alone holds is changed
// in place. use_count() can only fall meanwhile (other holders let go),
// which at worst makes a needless copy.
template <typename Shard>
Shard& Unshared(std::shared_ptr<Shard>& shard) {
  if (shard == nullptr) {
    shard = std::make_shared<Shard>();
  } else if (shard.use_count() > 1) {
    shard = std::make_shared<Shard>(*shard);
  }
  return *shard;
}

}  // namespace

DomainIndex::DomainIndex()
    : domains_(kDomainShards), identities_(kIdentityShards) {}

// std::hash, not absl::Hash: the shard must not be chosen by the same bits
// the shard's own table probes with.
size_t DomainIndex::ShardOf(std::string_view key, size_t shards) {
  return std::hash<std::string_view>{}(key) % shards;
}

const PartnerPolicy* DomainIndex::Find(std::string_view domain) const {
  const std::shared_ptr<DomainShard>& shard =
      domains_[ShardOf(domain, domains_.size())];
  if (shard == nullptr) return nullptr;
  auto it = shard->find(domain);
  return it == shard->end() ? nullptr : it->second;
}

const PartnerPolicy* DomainIndex::FindWildcard(std::string_view domain) const {
  if (domain.size() > kMaxCoveredOctets) return nullptr;
  // key = "*" + domain; for the dot at domain[i], the wildcard "*.SUFFIX"
  // is key[i, end) once key[i] (domain[i - 1]) is made '*'. Left to right is
  // longest suffix first; a suffix of one label has no wildcard.
  char key[kMaxCoveredOctets + 1];
  key[0] = '*';
  domain.copy(key + 1, domain.size());
  const size_t key_size = domain.size() + 1;
  for (size_t dot = domain.find('.'); dot != std::string_view::npos;
       dot = domain.find('.', dot + 1)) {
    if (domain.find('.', dot + 1) == std::string_view::npos) break;
    key[dot] = '*';
    const PartnerPolicy* owner =
        Find(std::string_view(key + dot, key_size - dot));
    if (owner != nullptr) return owner;
  }
  return nullptr;
}

PartnerRef DomainIndex::FindIdentity(std::string_view identity) const {
  const std::shared_ptr<IdentityShard>& shard =
      identities_[ShardOf(identity, identities_.size())];
  if (shard == nullptr) return nullptr;
  auto it = shard->find(identity);
  return it == shard->end() ? nullptr : it->second;
}

void DomainIndex::ForEachPartner(
    const std::function<bool(const PartnerRef&)>& visit) const {
  for (const std::shared_ptr<IdentityShard>& shard : identities_) {
    if (shard == nullptr) continue;
    for (const auto& [identity, partner] : *shard) {
      if (!visit(partner)) return;
    }
  }
}

DomainIndex::DomainShard& DomainIndex::MutableDomainShard(
    std::string_view domain) {
  return Unshared(domains_[ShardOf(domain, domains_.size())]);
}

DomainIndex::IdentityShard& DomainIndex::MutableIdentityShard(
    std::string_view identity) {
  return Unshared(identities_[ShardOf(identity, identities_.size())]);
}

void DomainIndex::Upsert(PartnerRef partner) {
  Remove(partner->identity());
  const PartnerPolicy* raw = partner.get();
  raw->ForEachDomain([&](std::string_view domain) {
    DomainShard& shard = MutableDomainShard(domain);
    // Erased, not assigned: the old key views into the other partner.
    if (auto it = shard.find(domain); it != shard.end()) {
      shard.erase(it);
    } else {
      ++domain_count_;
    }
    shard.emplace(domain, raw);
    return true;
  });
  MutableIdentityShard(raw->identity())
      .emplace(raw->identity(), std::move(partner));
  ++partner_count_;
}

void DomainIndex::Remove(std::string_view identity) {
  PartnerRef old = FindIdentity(identity);
  if (old == nullptr) return;
  old->ForEachDomain([&](std::string_view domain) {
    // A domain another partner took over in the same change stays his.
    if (Find(domain) != old.get()) return true;
    MutableDomainShard(domain).erase(domain);
    --domain_count_;
    return true;
  });
  // `old` keeps the partner (and the key's bytes) alive through the erase.
  MutableIdentityShard(identity).erase(old->identity());
  --partner_count_;
}

}  // namespace xmppfed::snapshot
