// The etcd every etcd-backed store test of this binary shares: one member
// (the store's semantics do not need three; the cluster's behaviour is
// tested with three in tests/unit/etcd and tests/integration), started at
// the first test that needs it, stopped after the last.
#include <unistd.h>

#include <atomic>
#include <string>

#include "gtest/gtest.h"
#include "tests/support/etcd_cluster.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/store/store_fixture.h"

namespace xmppfed::store::testing {
namespace {

xmppfed::testing::TempDir* etcd_dir = nullptr;
xmppfed::testing::EtcdCluster* etcd_cluster = nullptr;

class EtcdEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    delete etcd_cluster;
    etcd_cluster = nullptr;
    delete etcd_dir;
    etcd_dir = nullptr;
  }
};

::testing::Environment* const environment =
    ::testing::AddGlobalTestEnvironment(new EtcdEnvironment);

}  // namespace

std::string FreshEtcdStoreUri() {
  static std::atomic<int> next{0};
  if (etcd_cluster == nullptr) {
    etcd_dir = new xmppfed::testing::TempDir("store-etcd");
    xmppfed::testing::EtcdClusterOptions options;
    options.members = 1;
    etcd_cluster = new xmppfed::testing::EtcdCluster(etcd_dir->path(), options);
    ::testing::AssertionResult started = etcd_cluster->Start();
    EXPECT_TRUE(started);
  }
  return etcd_cluster->Uri("test-" + std::to_string(::getpid()) + "-" +
                           std::to_string(next++));
}

XMPPFED_STORE_BACKENDS(StoreTest);

}  // namespace xmppfed::store::testing
