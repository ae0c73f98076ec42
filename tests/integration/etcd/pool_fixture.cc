#include "tests/integration/etcd/pool_fixture.h"

#include <sstream>
#include <thread>

#include "absl/strings/match.h"

namespace xmppfed::testing {

void PoolTest::SetUp() {
  FederationTest::SetUp();
  etcd_dir_ = std::make_unique<TempDir>("pool-etcd");
  cluster_ = std::make_unique<EtcdCluster>(etcd_dir_->path());
  ASSERT_TRUE(cluster_->Start());
  example_.store_uri = StoreUri();
  // The second node of example.test: same domain and certificate.
  node2_.domain = example_.domain;
  node2_.dir = std::make_unique<TempDir>();
  node2_.certificates = example_.certificates;
  node2_.store_uri = StoreUri();
}

void PoolTest::TearDown() {
  node2_.gateway.reset();
  if (node2_.agent && node2_.agent->running()) {
    ExitStatus status = node2_.agent->Terminate();
    EXPECT_TRUE(status.exited && status.code == 0)
        << "node 2 did not stop cleanly: " << status << "\n"
        << node2_.agent->Log();
  }
  FederationTest::TearDown();
}

void PoolTest::StartPool() {
  for (Site* node : {&node1(), &node2()}) {
    ASSERT_NO_FATAL_FAILURE(StartAgent(*node, partner_.certificates.ca_cert));
    ASSERT_NO_FATAL_FAILURE(ConnectGateway(*node));
  }
  ASSERT_NO_FATAL_FAILURE(StartAgent(partner_, example_.certificates.ca_cert));
  ASSERT_NO_FATAL_FAILURE(ConnectGateway(partner_));
}

void PoolTest::FederateWithDialback() {
  // partner.test reaches example.test (to verify dialback keys, and for its
  // own streams) at node 1.
  ASSERT_NO_FATAL_FAILURE(AddPartner(
      partner_, node1(),
      {"--sasl-negotiation", "NotSupported", "--partner-type", "Federated"}));
  ASSERT_NO_FATAL_FAILURE(AddPartner(
      node1(), partner_,
      {"--sasl-negotiation", "NotSupported", "--partner-type", "Federated"}));
}

std::optional<absl::Time> PoolTest::WaitForLogTime(
    const Site& site, const std::vector<std::string>& parts,
    std::chrono::milliseconds timeout, std::optional<absl::Time> after) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    std::istringstream lines(site.agent->Log());
    std::string line;
    while (std::getline(lines, line)) {
      bool all = true;
      for (const std::string& part : parts) {
        all = all && absl::StrContains(line, part);
      }
      if (!all) continue;
      // "2026-12-07T01:18:46.710Z info event ..."
      absl::Time time;
      std::string error;
      if (!absl::ParseTime("%Y-%m-%dT%H:%M:%E*SZ",
                           line.substr(0, line.find(' ')), &time, &error)) {
        continue;
      }
      if (after.has_value() && time < *after) continue;
      return time;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace xmppfed::testing
