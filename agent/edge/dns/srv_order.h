// The order in which to try the targets of an SRV answer (RFC 2782, as
// RFC 6120 §3.2.1 asks for _xmpp-server._tcp).
#ifndef XMPPFED_AGENT_EDGE_DNS_SRV_ORDER_H_
#define XMPPFED_AGENT_EDGE_DNS_SRV_ORDER_H_

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace xmppfed::edge::dns {

// One SRV resource record. `target` is a host name with or without its
// trailing dot; "." (and "", which is how c-ares spells the root) is the
// root, RFC 2782's "decidedly not available".
struct SrvRecord {
  std::string target;
  uint16_t port = 0;
  uint16_t priority = 0;
  uint16_t weight = 0;
};

// A host and port to connect to, before address resolution. `host` carries
// no trailing dot.
struct Target {
  std::string host;
  uint16_t port = 0;

  friend bool operator==(const Target&, const Target&) = default;
};

// The records in the order RFC 2782 gives:
//  * ascending priority (lower is tried first);
//  * within one priority, repeated weighted random selection: the records
//    still unordered are listed with the weight-0 ones first, a number R is
//    drawn uniformly from [0, sum of their weights], and the first record
//    whose running weight sum is >= R comes next. So a weight-0 record is
//    picked first with chance 1/(sum+1) when others have weight, and when
//    every weight is 0 the records keep the order they were given in.
// `rng` is the only randomness, so a seeded engine gives a repeatable order.
//
// Records whose target is the root are dropped. When that leaves nothing
// (in particular the single "." record RFC 6120 §3.2.1 describes) the domain
// has said it offers no XMPP server-to-server service: NotFound with that
// message, and the caller must not fall back to the domain's A/AAAA records.
// No records at all is not that statement: the result is an empty list.
absl::StatusOr<std::vector<Target>> OrderSrvRecords(
    std::vector<SrvRecord> records, std::mt19937_64& rng);

}  // namespace xmppfed::edge::dns

#endif  // XMPPFED_AGENT_EDGE_DNS_SRV_ORDER_H_
