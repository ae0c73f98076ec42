// A private network and mount namespace for tests that run real servers on
// well-known ports (5269, 5222, 53) under real domain names: the calling
// thread leaves the host's network (only a loopback interface, brought up,
// with all of 127.0.0.0/8) and gets its own view of /etc/hosts and
// /etc/resolv.conf (files in a directory the test owns, bind-mounted over
// the real ones in a mount namespace whose mounts stay private). Nothing of
// the host is changed, and every process or thread the caller starts
// afterwards shares the namespace; it ends with the test process.
//
// Needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN). Call it from the thread that
// runs the tests (gtest's main thread) before starting any child or thread
// that must share it; threads started earlier stay outside.
#ifndef XMPPFED_TESTS_SUPPORT_NAMESPACE_H_
#define XMPPFED_TESTS_SUPPORT_NAMESPACE_H_

#include <string>
#include <utility>
#include <vector>

namespace xmppfed::testing {

struct PrivateNetworkOptions {
  // /etc/hosts inside: (address, name) lines, after the localhost lines.
  std::vector<std::pair<std::string, std::string>> hosts;
  // /etc/resolv.conf inside: "nameserver <this>". Inside the namespace port
  // 53 is free for a test's own DNS server (tests/support/fake_dns_server.h).
  std::string nameserver = "127.0.0.1";
};

// Enters the namespace, writing hosts and resolv.conf into `dir` (a
// directory the test owns and that outlives the test's servers). Returns ""
// on success, else why it could not (not root, no unshare permitted, ...):
// the caller skips its test with that reason. May be called again (each
// call makes a fresh namespace).
std::string EnterPrivateNetwork(const std::string& dir,
                                const PrivateNetworkOptions& options);

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_SUPPORT_NAMESPACE_H_
