// How many TCP connections are established to given servers, read from the
// kernel's socket table with ss (iproute2) in the caller's network
// namespace: what proves that one connection carries a bidirectional
// stream.
#ifndef XMPPFED_TESTS_SUPPORT_TCP_CONNECTIONS_H_
#define XMPPFED_TESTS_SUPPORT_TCP_CONNECTIONS_H_

#include <string>
#include <vector>

namespace xmppfed::testing {

// Established connections whose peer address is one of `servers`
// ("127.0.0.1:5269"), each counted once (from its client's side); -1 when
// ss is not installed or fails.
int EstablishedConnectionsTo(const std::vector<std::string>& servers);

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_SUPPORT_TCP_CONNECTIONS_H_
