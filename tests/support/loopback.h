// Plain blocking TCP sockets on 127.0.0.1 for tests and benchmarks: the
// one place that connects to, and listens on, a loopback port.
#ifndef XMPPFED_TESTS_SUPPORT_LOOPBACK_H_
#define XMPPFED_TESTS_SUPPORT_LOOPBACK_H_

#include <cstdint>
#include <string>

namespace xmppfed::testing {

// A blocking TCP connection to 127.0.0.1:`port`, from `source_ip` (e.g.
// "127.0.0.2", so that an attacker is not at the partner's address) or from
// the kernel's choice when empty, without Nagle's algorithm (what a test
// writes goes out at once); -1 when it fails.
int ConnectLoopback(uint16_t port, const std::string& source_ip = "");

// A socket listening on a free 127.0.0.1 port, which goes to `*port`
// (backlog `backlog`); -1 when it fails.
int ListenLoopback(uint16_t* port, int backlog = 512);

// Turns Nagle's algorithm off on `fd`: small writes go out at once.
void SetNoDelay(int fd);

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_SUPPORT_LOOPBACK_H_
