// The edge's share of the process's file descriptors. The management API and
// the store must never run out because the edge's peers took every
// descriptor (issue 11: fd exhaustion is survivable), so the edge keeps a
// reserve free: a descriptor it is handed (by accept or socket) that is
// numbered at or above the ceiling is one the edge must give back. Linux
// always hands out the lowest free number, so a descriptor at or above the
// ceiling means fewer than `DescriptorReserve()` are free.
#ifndef XMPPFED_AGENT_EDGE_NET_DESCRIPTORS_H_
#define XMPPFED_AGENT_EDGE_NET_DESCRIPTORS_H_

#include <cstdint>

namespace xmppfed::edge::net {

// The soft RLIMIT_NOFILE of the process, read each time (an operator or a
// test may change it with prlimit while the agent runs); 0 when unknown or
// unlimited.
uint64_t DescriptorLimit();

// Descriptors the edge leaves to the rest of the agent out of `limit`:
// limit/16, at least 16 and at most 1024.
uint64_t DescriptorReserve(uint64_t limit);

// True when the edge must not keep `fd`: it is numbered at or above
// DescriptorLimit() - DescriptorReserve(). False when the limit is unknown.
bool AboveDescriptorCeiling(int fd);

// Raises the soft RLIMIT_NOFILE to the hard one (the systemd unit sets both
// with LimitNOFILE; a shell often has a soft 1024 under a far higher hard
// limit) and returns the soft limit in force afterwards.
uint64_t RaiseDescriptorLimit();

}  // namespace xmppfed::edge::net

#endif  // XMPPFED_AGENT_EDGE_NET_DESCRIPTORS_H_
