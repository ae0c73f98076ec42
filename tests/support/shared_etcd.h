// One etcd for a whole test binary: a single member (the store's semantics
// do not need three; the cluster's behaviour is tested with three in
// tests/unit/etcd and tests/integration), started by the first test that
// asks and stopped after the last test of the binary.
#ifndef XMPPFED_TESTS_SUPPORT_SHARED_ETCD_H_
#define XMPPFED_TESTS_SUPPORT_SHARED_ETCD_H_

#include <string>

namespace xmppfed::testing {

// The URI of a fresh, empty etcd store (a key prefix nothing used before)
// on the binary's etcd.
std::string FreshEtcdStoreUri();

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_SUPPORT_SHARED_ETCD_H_
