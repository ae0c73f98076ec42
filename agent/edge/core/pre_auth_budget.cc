#include "agent/edge/core/pre_auth_budget.h"

#include <algorithm>

namespace xmppfed::edge {

std::vector<uint64_t> PreAuthBudget::Admit(uint64_t id,
                                           const std::string& address,
                                           size_t global_limit,
                                           size_t per_address_limit) {
  global_limit = std::max<size_t>(global_limit, 1);
  per_address_limit = std::max<size_t>(per_address_limit, 1);
  address_of_[id] = address;
  std::set<uint64_t>& from = by_address_[address];
  from.insert(id);
  std::vector<uint64_t> evicted;
  while (from.size() > per_address_limit) {
    uint64_t oldest = *from.begin();
    evicted.push_back(oldest);
    Forget(oldest);
  }
  while (address_of_.size() > global_limit) {
    evicted.push_back(*TakeOldest());
  }
  return evicted;
}

std::optional<uint64_t> PreAuthBudget::TakeOldest() {
  if (address_of_.empty()) return std::nullopt;
  uint64_t oldest = address_of_.begin()->first;
  Forget(oldest);
  return oldest;
}

void PreAuthBudget::Forget(uint64_t id) {
  auto it = address_of_.find(id);
  if (it == address_of_.end()) return;
  auto from = by_address_.find(it->second);
  if (from != by_address_.end()) {
    from->second.erase(id);
    if (from->second.empty()) by_address_.erase(from);
  }
  address_of_.erase(it);
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
