// The etcd store under test (store_fixture.h's StoreTest on etcd), and what
// its tests share.
#ifndef XMPPFED_TESTS_UNIT_STORE_ETCD_STORE_FIXTURE_H_
#define XMPPFED_TESTS_UNIT_STORE_ETCD_STORE_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/unit/store/store_fixture.h"

namespace xmppfed::store::testing {

class EtcdStoreTest : public StoreTest {
 protected:
  Backend backend() const override { return Backend::kEtcd; }

  // Another node on the store under test.
  std::unique_ptr<Store> OpenNode() {
    absl::StatusOr<std::unique_ptr<Store>> node = OpenStore(Uri());
    EXPECT_TRUE(node.ok()) << node.status();
    return node.ok() ? *std::move(node) : nullptr;
  }
};

inline std::vector<std::string> Numbered(const std::string& stem, int count) {
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i) {
    names.push_back(stem + std::to_string(i) + ".example");
  }
  return names;
}

}  // namespace xmppfed::store::testing

#endif  // XMPPFED_TESTS_UNIT_STORE_ETCD_STORE_FIXTURE_H_
