// An edge pool as an operator would run it: a three-member etcd cluster on
// loopback, and example.test served by two agents (nodes) sharing one
// etcd store (same domain, same certificate), each with its own listeners
// and its own internal gateway; partner.test is a third agent, on SQLite,
// federating with the pool.
#ifndef XMPPFED_TESTS_INTEGRATION_ETCD_POOL_FIXTURE_H_
#define XMPPFED_TESTS_INTEGRATION_ETCD_POOL_FIXTURE_H_

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "tests/integration/federation/federation_fixture.h"
#include "tests/support/etcd_cluster.h"

namespace xmppfed::testing {

class PoolTest : public FederationTest {
 protected:
  // Starts etcd; example_ (node 1) and node2_ get the etcd store.
  void SetUp() override;
  void TearDown() override;

  // Starts both nodes (with their gateways) and partner.test.
  void StartPool();
  // Policies that make the streams between the pool and partner.test
  // authenticate with dialback over TLS (SASL EXTERNAL off both ways), the
  // pool's entry for partner.test stored once, through node 1.
  void FederateWithDialback();

  // The time of the first line of `site`'s log (after `after`, when given)
  // that holds every one of `parts`, waiting up to `timeout` for it.
  static std::optional<absl::Time> WaitForLogTime(
      const Site& site, const std::vector<std::string>& parts,
      std::chrono::milliseconds timeout = std::chrono::seconds(10),
      std::optional<absl::Time> after = std::nullopt);

  Site& node1() { return example_; }
  Site& node2() { return node2_; }
  std::string StoreUri() const { return cluster_->Uri("pool"); }

  std::unique_ptr<TempDir> etcd_dir_;
  std::unique_ptr<EtcdCluster> cluster_;
  Site node2_;
};

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_INTEGRATION_ETCD_POOL_FIXTURE_H_
