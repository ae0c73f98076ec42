#include "agent/edge/core/pre_auth_budget.h"

#include <algorithm>

namespace xmppfed::edge {

std::vector<uint64_t> PreAuthBudget::Admit(uint64_t id,
                                           const std::string& address,
                                           size_t global_limit,
                                           size_t per_address_limit) {
  global_limit = std::max<size_t>(global_limit, 1);
  per_address_limit = std::max<size_t>(per_address_limit, 1);
  entries_[id] = Entry{address, false};
  unopened_.insert(id);
  std::set<uint64_t>& from = by_address_[address];
  from.insert(id);
  std::vector<uint64_t> evicted;
  // Never the newcomer: it is the newest, so the oldest of the others comes
  // first in id order, and the limits are at least 1.
  while (from.size() > per_address_limit) {
    uint64_t victim = *from.begin();
    for (uint64_t other : from) {
      if (other != id && unopened_.contains(other)) {
        victim = other;
        break;
      }
    }
    evicted.push_back(victim);
    Forget(victim);
  }
  while (entries_.size() > global_limit) {
    uint64_t victim = unopened_.empty() || *unopened_.begin() == id
                          ? entries_.begin()->first
                          : *unopened_.begin();
    evicted.push_back(victim);
    Forget(victim);
  }
  return evicted;
}

void PreAuthBudget::MarkOpened(uint64_t id) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  it->second.opened = true;
  unopened_.erase(id);
}

std::optional<uint64_t> PreAuthBudget::TakeOldest() {
  if (entries_.empty()) return std::nullopt;
  uint64_t victim =
      unopened_.empty() ? entries_.begin()->first : *unopened_.begin();
  Forget(victim);
  return victim;
}

void PreAuthBudget::Forget(uint64_t id) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  auto from = by_address_.find(it->second.address);
  if (from != by_address_.end()) {
    from->second.erase(id);
    if (from->second.empty()) by_address_.erase(from);
  }
  unopened_.erase(id);
  entries_.erase(it);
}

size_t PreAuthBudget::CountFrom(std::string_view address) const {
  auto it = by_address_.find(std::string(address));
  return it == by_address_.end() ? 0 : it->second.size();
}

std::string HostOfPeerAddress(std::string_view peer_address) {
  if (!peer_address.empty() && peer_address.front() == '[') {
    size_t close = peer_address.find(']');
    if (close != std::string_view::npos) {
      return std::string(peer_address.substr(1, close - 1));
    }
  }
  size_t colon = peer_address.rfind(':');
  if (colon == std::string_view::npos) return std::string(peer_address);
  return std::string(peer_address.substr(0, colon));
}

}  // namespace xmppfed::edge
