// The order in which to try the targets of an SRV answer (RFC 2782, as
// RFC 6120 §3.2.1 asks for _xmpp-server._tcp), and of the two services a
// server offers, _xmpp-server._tcp (STARTTLS) and _xmpps-server._tcp
// (XEP-0368 direct TLS), merged.
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
  // An _xmpps-server._tcp record: connect with TLS from the first byte.
  bool direct_tls = false;
};

// A host and port to connect to, before address resolution. `host` carries
// no trailing dot.
struct Target {
  std::string host;
  uint16_t port = 0;
  bool direct_tls = false;

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

// XEP-0368 §3: the records of _xmpp-server._tcp (`starttls`) and of
// _xmpps-server._tcp (`direct_tls`; their direct_tls is set here) as one
// RFC 2782 order: priorities and weights mixed as if they were one record
// set, so the domain's operator decides which is tried first (neither kind
// is preferred). Root targets are dropped from each set.
//  * Both sets empty (no record of either service): an empty list; the
//    caller falls back to the domain's A/AAAA on 5269 (RFC 6120 §3.2.2).
//  * Nothing left, but a set said "." (the service is decidedly not
//    offered): NotFound, and no A/AAAA fallback (RFC 6120 §3.2.1; XEP-0368
//    §5: a "." for xmpps-server means "no direct TLS", and the domain still
//    said it uses SRV).
absl::StatusOr<std::vector<Target>> MergeServiceRecords(
    std::vector<SrvRecord> starttls, std::vector<SrvRecord> direct_tls,
    std::mt19937_64& rng);

}  // namespace xmppfed::edge::dns

#endif  // XMPPFED_AGENT_EDGE_DNS_SRV_ORDER_H_
