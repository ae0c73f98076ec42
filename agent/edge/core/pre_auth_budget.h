// The budget of inbound S2S streams that have not authenticated yet
// (issue 11): a global cap and a cap per source address, both well below
// the gateway's connectionLimit, so idle or trickling connections (a
// slowloris) cannot keep partners' streams out. When a budget is full the
// OLDEST unauthenticated stream makes room and the newcomer is admitted:
// refusing the newcomer would let an attacker who holds the budget keep
// it, whereas evicting the oldest means an attacker must open connections
// faster than a real partner completes its handshake (a few round trips)
// to starve it. Streams that have not even opened (no valid stream header
// yet: idle or trickling connections) go first; a stream that opened is
// evicted only when none of those is left, so a partner whose header was
// read is not pushed out by idle connections. Loop thread only; it holds
// ids, the edge closes them.
#ifndef XMPPFED_AGENT_EDGE_CORE_PRE_AUTH_BUDGET_H_
#define XMPPFED_AGENT_EDGE_CORE_PRE_AUTH_BUDGET_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace xmppfed::edge {

class PreAuthBudget {
 public:
  // Counts the new stream `id` (ids grow with arrival) from `address` (a
  // host, without port) and returns the streams to close to stay within
  // `global_limit` and `per_address_limit` (each at least 1): the oldest
  // from `address` first, then the oldest of all. Never `id` itself. The
  // returned streams are no longer counted.
  std::vector<uint64_t> Admit(uint64_t id, const std::string& address,
                              size_t global_limit, size_t per_address_limit);
  // The stream sent a valid header: evicted only after every stream that
  // did not.
  void MarkOpened(uint64_t id);
  // The stream to evict first (the oldest unopened, else the oldest), if
  // any; no longer counted afterwards.
  std::optional<uint64_t> TakeOldest();
  // The stream authenticated or closed: no longer counted (a no-op for a
  // stream that is not).
  void Forget(uint64_t id);

  size_t size() const { return entries_.size(); }
  size_t CountFrom(std::string_view address) const;

 private:
  // Id order is arrival order: begin() is the oldest.
  struct Entry {
    std::string address;
    bool opened = false;
  };
  std::map<uint64_t, Entry> entries_;
  std::set<uint64_t> unopened_;
  absl::flat_hash_map<std::string, std::set<uint64_t>> by_address_;
};

// "192.0.2.1:5269" -> "192.0.2.1", "[2001:db8::1]:5269" -> "2001:db8::1".
std::string HostOfPeerAddress(std::string_view peer_address);

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_CORE_PRE_AUTH_BUDGET_H_
