// The etcd client against a real three-member cluster: KV, leases, the
// cluster's state, failover between endpoints, and what a caller sees when
// no member is left.
#include "agent/etcd/client.h"

#include <chrono>
#include <string>
#include <thread>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/etcd_cluster.h"
#include "tests/support/temp_dir.h"

namespace xmppfed::etcd {
namespace {

using testing::EtcdCluster;
using ::testing::HasSubstr;
using testing::TempDir;

std::vector<std::string> Split(const std::string& endpoints) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= endpoints.size()) {
    size_t comma = endpoints.find(',', start);
    if (comma == std::string::npos) comma = endpoints.size();
    parts.push_back(endpoints.substr(start, comma - start));
    start = comma + 1;
  }
  return parts;
}

std::unique_ptr<Client> Connect(const EtcdCluster& cluster,
                                ClientOptions options = {}) {
  options.endpoints = Split(cluster.Endpoints());
  absl::StatusOr<std::unique_ptr<Client>> client =
      Client::Create(std::move(options));
  EXPECT_TRUE(client.ok()) << client.status();
  return client.ok() ? *std::move(client) : nullptr;
}

absl::Status Put(Client& client, const std::string& key,
                 const std::string& value, int64_t lease = 0) {
  etcdserverpb::TxnRequest txn;
  etcdserverpb::PutRequest* put = txn.add_success()->mutable_request_put();
  put->set_key(key);
  put->set_value(value);
  put->set_lease(lease);
  return client.Txn(txn).status();
}

std::optional<std::string> Get(Client& client, const std::string& key) {
  etcdserverpb::RangeRequest range;
  range.set_key(key);
  absl::StatusOr<etcdserverpb::RangeResponse> got = client.Range(range);
  EXPECT_TRUE(got.ok()) << got.status();
  if (!got.ok() || got->kvs_size() == 0) return std::nullopt;
  return got->kvs(0).value();
}

// One cluster for the tests that leave every member running.
class SharedClusterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("etcd-client");
    cluster_ = new EtcdCluster(dir_->path());
    ASSERT_TRUE(cluster_->Start());
  }
  static void TearDownTestSuite() {
    delete cluster_;
    delete dir_;
  }
  static TempDir* dir_;
  static EtcdCluster* cluster_;
};
TempDir* SharedClusterTest::dir_ = nullptr;
EtcdCluster* SharedClusterTest::cluster_ = nullptr;

TEST_F(SharedClusterTest, TxnWritesWhatRangeReads) {
  std::unique_ptr<Client> client = Connect(*cluster_);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(Put(*client, "/client-test/a", "1").ok());
  EXPECT_EQ(Get(*client, "/client-test/a"), "1");
  EXPECT_EQ(Get(*client, "/client-test/none"), std::nullopt);
}

TEST_F(SharedClusterTest, EtcdsOwnRefusalIsPassedOnNotRetried) {
  std::unique_ptr<Client> client = Connect(*cluster_);
  ASSERT_NE(client, nullptr);
  etcdserverpb::TxnRequest txn;
  for (int i = 0; i < 129; ++i) {
    etcdserverpb::PutRequest* put = txn.add_success()->mutable_request_put();
    put->set_key("/client-test/many/" + std::to_string(i));
  }
  absl::Time start = absl::Now();
  absl::StatusOr<etcdserverpb::TxnResponse> refused = client->Txn(txn);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.status().message()),
              HasSubstr("too many operations"));
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
  EXPECT_EQ(client->UnreachableSince(), std::nullopt);
}

TEST_F(SharedClusterTest, KeysOfARevokedLeaseAreGone) {
  std::unique_ptr<Client> client = Connect(*cluster_);
  ASSERT_NE(client, nullptr);
  absl::StatusOr<etcdserverpb::LeaseGrantResponse> lease =
      client->LeaseGrant(30);
  ASSERT_TRUE(lease.ok()) << lease.status();
  ASSERT_TRUE(Put(*client, "/client-test/leased", "x", lease->id()).ok());
  absl::StatusOr<etcdserverpb::LeaseKeepAliveResponse> kept =
      client->LeaseKeepAlive(lease->id());
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_EQ(kept->id(), lease->id());
  EXPECT_GT(kept->ttl(), 0);

  ASSERT_TRUE(client->LeaseRevoke(lease->id()).ok());
  EXPECT_EQ(Get(*client, "/client-test/leased"), std::nullopt);
  absl::StatusOr<etcdserverpb::LeaseKeepAliveResponse> expired =
      client->LeaseKeepAlive(lease->id());
  ASSERT_TRUE(expired.ok()) << expired.status();
  EXPECT_EQ(expired->ttl(), 0);
}

TEST_F(SharedClusterTest, ClusterStateListsEveryMemberAndOneLeader) {
  std::unique_ptr<Client> client = Connect(*cluster_);
  ASSERT_NE(client, nullptr);
  absl::StatusOr<ClusterState> state =
      client->GetClusterState(absl::Seconds(2));
  ASSERT_TRUE(state.ok()) << state.status();
  ASSERT_EQ(state->members.size(), 3u);
  int leaders = 0;
  for (const MemberState& member : state->members) {
    EXPECT_TRUE(member.reachable) << member.name << ": " << member.error;
    EXPECT_FALSE(member.version.empty());
    leaders += member.is_leader ? 1 : 0;
  }
  EXPECT_EQ(leaders, 1);
  EXPECT_NE(state->cluster_id, 0u);
  EXPECT_GT(state->revision, 0);
}

TEST(ClientOptionsTest, UnreadableTlsFileNamesTheOption) {
  ClientOptions options;
  options.endpoints = {"127.0.0.1:1"};
  options.ca_file = "/nonexistent/ca.pem";
  absl::StatusOr<std::unique_ptr<Client>> client = Client::Create(options);
  EXPECT_EQ(client.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(client.status().message()),
              HasSubstr("--etcd-ca-file=/nonexistent/ca.pem"));
}

TEST(ClientOptionsTest, CertificateWithoutKeyIsRefused) {
  TempDir dir("etcd-client");
  ClientOptions options;
  options.endpoints = {"127.0.0.1:1"};
  options.cert_file = dir.WriteFile("cert.pem", "x");
  absl::StatusOr<std::unique_ptr<Client>> client = Client::Create(options);
  EXPECT_EQ(client.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(client.status().message()),
              HasSubstr("--etcd-cert and --etcd-key"));
}

// Tests that stop members have a cluster of their own.
class OwnClusterTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(cluster_.Start()); }
  TempDir dir_{"etcd-client"};
  EtcdCluster cluster_{dir_.path()};
};

TEST_F(OwnClusterTest, CallsGoOnWhenTheFirstEndpointsMemberIsDown) {
  std::unique_ptr<Client> client = Connect(cluster_);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(Put(*client, "/client-test/before", "1").ok());
  cluster_.Kill(0);

  EXPECT_TRUE(Put(*client, "/client-test/after", "2").ok());
  EXPECT_EQ(Get(*client, "/client-test/before"), "1");
  EXPECT_EQ(Get(*client, "/client-test/after"), "2");
}

TEST_F(OwnClusterTest, WritesGoOnAfterTheLeaderIsKilled) {
  std::unique_ptr<Client> client = Connect(cluster_);
  ASSERT_NE(client, nullptr);
  int leader = cluster_.WaitForLeader(std::chrono::seconds(5));
  ASSERT_GE(leader, 0);
  cluster_.Kill(leader);

  EXPECT_TRUE(Put(*client, "/client-test/after-election", "1").ok());
  EXPECT_EQ(Get(*client, "/client-test/after-election"), "1");
}

TEST_F(OwnClusterTest, NoMemberLeftIsUnavailableNamingEveryEndpoint) {
  std::unique_ptr<Client> client = Connect(cluster_);
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(Put(*client, "/client-test/x", "1").ok());
  cluster_.KillAll();

  absl::Time start = absl::Now();
  absl::Status put = Put(*client, "/client-test/x", "2");
  absl::Duration took = absl::Now() - start;
  ASSERT_EQ(put.code(), absl::StatusCode::kUnavailable) << put;
  EXPECT_THAT(std::string(put.message()),
              HasSubstr("the etcd store at " + cluster_.Endpoints() +
                        " is unreachable"));
  EXPECT_LT(took, absl::Seconds(3)) << "gave up only after " << took;
  EXPECT_TRUE(client->UnreachableSince().has_value());

  ASSERT_TRUE(cluster_.RestartAll());
  absl::Status again = Put(*client, "/client-test/x", "3");
  EXPECT_TRUE(again.ok()) << again;
  EXPECT_EQ(client->UnreachableSince(), std::nullopt);
  EXPECT_EQ(Get(*client, "/client-test/x"), "3");
}

}  // namespace
}  // namespace xmppfed::etcd
