// Non-blocking TCP for the edge: listening, accepting, connecting. Every fd
// returned is non-blocking and close-on-exec, and belongs to the caller.
// Addresses are IP literals only; names are resolved elsewhere (edge/dns).
#ifndef XMPPFED_AGENT_EDGE_NET_TCP_H_
#define XMPPFED_AGENT_EDGE_NET_TCP_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace xmppfed::edge::net {

// A listening socket on `host` and `port` (0 picks a free port) with
// SO_REUSEADDR. `host` is an IPv4 or IPv6 literal, IPv6 optionally in
// brackets ("127.0.0.1", "::1", "[::1]"); "::" (or "") listens dual-stack
// on every address, IPv4 clients appearing as IPv4 in PeerAddress.
// INVALID_ARGUMENT for a host that is not an IP literal.
absl::StatusOr<int> ListenTcp(const std::string& host, uint16_t port,
                              int backlog);

// The port `fd` is bound to (after ListenTcp with port 0, the one picked).
absl::StatusOr<uint16_t> LocalPort(int fd);

// A connection accepted from the non-blocking `listen_fd`, with TCP_NODELAY.
// UNAVAILABLE when none is waiting (EAGAIN) or the one waiting was aborted by
// its client before being accepted: stop accepting until the listener is
// readable again. Any other error (e.g. RESOURCE_EXHAUSTED for EMFILE)
// concerns the listener or the process.
absl::StatusOr<int> AcceptConnection(int listen_fd);

// Starts connecting to `ip` (a literal as for ListenTcp) and `port`. The
// connection is established, or has failed, once the fd is writable: then
// ConnectResult tells which. An error found at once (e.g. no route) is
// returned here and no fd is left open; RESOURCE_EXHAUSTED when the process
// is within the edge's descriptor reserve (net/descriptors.h).
absl::StatusOr<int> StartConnect(const std::string& ip, uint16_t port);
// The outcome of StartConnect's connect (SO_ERROR): OK, or the errno as a
// status, e.g. UNAVAILABLE "connect: Connection refused".
absl::Status ConnectResult(int fd);

// The peer of a connected socket: "127.0.0.1:5269" or "[::1]:5269" (IPv4
// clients of a dual-stack listener shown as IPv4); "" when unknown.
std::string PeerAddress(int fd);

}  // namespace xmppfed::edge::net

#endif  // XMPPFED_AGENT_EDGE_NET_TCP_H_
