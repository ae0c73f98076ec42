#include "tests/support/shared_etcd.h"

#include <unistd.h>

#include <atomic>

#include "gtest/gtest.h"
#include "tests/support/etcd_cluster.h"
#include "tests/support/temp_dir.h"

namespace xmppfed::testing {
namespace {

TempDir* etcd_dir = nullptr;
EtcdCluster* etcd_cluster = nullptr;

class SharedEtcdEnvironment : public ::testing::Environment {
 public:
  void TearDown() override {
    delete etcd_cluster;
    etcd_cluster = nullptr;
    delete etcd_dir;
    etcd_dir = nullptr;
  }
};

::testing::Environment* const environment =
    ::testing::AddGlobalTestEnvironment(new SharedEtcdEnvironment);

}  // namespace

std::string FreshEtcdStoreUri() {
  static std::atomic<int> next{0};
  if (etcd_cluster == nullptr) {
    etcd_dir = new TempDir("shared-etcd");
    EtcdClusterOptions options;
    options.members = 1;
    etcd_cluster = new EtcdCluster(etcd_dir->path(), options);
    EXPECT_TRUE(etcd_cluster->Start());
  }
  return etcd_cluster->Uri("test-" + std::to_string(::getpid()) + "-" +
                           std::to_string(next++));
}

}  // namespace xmppfed::testing
