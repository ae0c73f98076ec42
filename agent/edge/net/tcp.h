// Non-blocking TCP for the edge: listening, accepting, connecting.
#ifndef XMPPFED_AGENT_EDGE_NET_TCP_H_
#define XMPPFED_AGENT_EDGE_NET_TCP_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace xmppfed::edge::net {

// A non-blocking, close-on-exec listening socket on `host` ("127.0.0.1",
// "::" (dual stack), "::1") and `port` (0 picks a free one).
absl::StatusOr<int> ListenTcp(const std::string& host, uint16_t port,
                              int backlog);
absl::StatusOr<uint16_t> LocalPort(int fd);
// A non-blocking connection accepted from `listen_fd`; UNAVAILABLE when
// none is waiting.
absl::StatusOr<int> AcceptConnection(int listen_fd);
// Starts a non-blocking connect; completion is writability, then
// ConnectResult.
absl::StatusOr<int> StartConnect(const std::string& ip, uint16_t port);
absl::Status ConnectResult(int fd);
// "127.0.0.1:5269" or "[::1]:5269"; "" when unknown.
std::string PeerAddress(int fd);

}  // namespace xmppfed::edge::net

#endif  // XMPPFED_AGENT_EDGE_NET_TCP_H_
