// Loopback ports for tests.
#ifndef XMPPFED_TESTS_SUPPORT_PORTS_H_
#define XMPPFED_TESTS_SUPPORT_PORTS_H_

#include <cstdint>

namespace xmppfed::testing {

// A 127.0.0.1 port nothing listens on: bound to 0 (the kernel picks a free
// one), then closed. A connection there is refused at once (unless another
// process takes the port in between, which the kernel makes unlikely by not
// reusing it soon).
uint16_t ClosedLoopbackPort();

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_SUPPORT_PORTS_H_
