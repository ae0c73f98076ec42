// The etcd client over TLS with a client certificate, and with etcd's
// authentication: a user and password, and a token fetched again when etcd
// has dropped it.
#include <string>

#include "absl/time/clock.h"
#include "agent/etcd/client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/certificates.h"
#include "tests/support/etcd_cluster.h"
#include "tests/support/temp_dir.h"

namespace xmppfed::etcd {
namespace {

using testing::Certificates;
using testing::EtcdCluster;
using testing::EtcdClusterOptions;
using ::testing::HasSubstr;
using testing::TempDir;

absl::Status Put(Client& client, const std::string& key) {
  etcdserverpb::TxnRequest txn;
  txn.add_success()->mutable_request_put()->set_key(key);
  return client.Txn(txn).status();
}

ClientOptions OptionsFor(std::string endpoint) {
  ClientOptions options;
  options.endpoints = {std::move(endpoint)};
  return options;
}

std::unique_ptr<Client> Connect(ClientOptions options) {
  absl::StatusOr<std::unique_ptr<Client>> client =
      Client::Create(std::move(options));
  EXPECT_TRUE(client.ok()) << client.status();
  return client.ok() ? *std::move(client) : nullptr;
}

TEST(ClientTlsTest, MutualTlsWithTheClusterCa) {
  TempDir dir("etcd-tls");
  testing::CertificateOptions names;
  names.extra_alt_names = {"IP:127.0.0.1"};
  Certificates tls =
      testing::MakeCertificates(dir.path(), "etcd", {"localhost"}, names);
  EtcdClusterOptions options;
  options.members = 1;
  options.tls = tls;
  options.client_cert_auth = true;
  EtcdCluster cluster(dir.path(), options);
  ASSERT_TRUE(cluster.Start());

  ClientOptions mutual = OptionsFor(cluster.Endpoint(0));
  mutual.ca_file = tls.ca_cert;
  mutual.cert_file = tls.cert;
  mutual.key_file = tls.key;
  std::unique_ptr<Client> client = Connect(mutual);
  ASSERT_NE(client, nullptr);
  absl::Status put = Put(*client, "/tls/a");
  EXPECT_TRUE(put.ok()) << put;

  // Without a client certificate the handshake fails: no member serves it.
  ClientOptions server_only = OptionsFor(cluster.Endpoint(0));
  server_only.ca_file = tls.ca_cert;
  std::unique_ptr<Client> anonymous = Connect(server_only);
  ASSERT_NE(anonymous, nullptr);
  EXPECT_EQ(Put(*anonymous, "/tls/b").code(), absl::StatusCode::kUnavailable);
}

class ClientAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(cluster_.Start());
    for (const std::vector<std::string>& step :
         {std::vector<std::string>{"user", "add", "root:rootpw"},
          std::vector<std::string>{"auth", "enable"}}) {
      testing::ProcessResult done = cluster_.Etcdctl(step);
      ASSERT_EQ(done.status.ExitCodeOrMinusOne(), 0) << done.err;
    }
  }
  ClientOptions Options(std::string password) {
    ClientOptions options = OptionsFor(cluster_.Endpoint(0));
    options.user = "root";
    options.password = std::move(password);
    return options;
  }
  static EtcdClusterOptions ShortTokens() {
    // Tokens expire after a second unused, to see the client fetch another.
    EtcdClusterOptions options;
    options.members = 1;
    options.extra_args = {"--auth-token-ttl", "1"};
    return options;
  }

  TempDir dir_{"etcd-auth"};
  EtcdCluster cluster_{dir_.path(), ShortTokens()};
};

TEST_F(ClientAuthTest, UserAndPasswordGetAToken) {
  std::unique_ptr<Client> client = Connect(Options("rootpw"));
  ASSERT_NE(client, nullptr);
  absl::Status put = Put(*client, "/auth/a");
  EXPECT_TRUE(put.ok()) << put;
}

TEST_F(ClientAuthTest, WrongPasswordIsRefusedAtOnce) {
  std::unique_ptr<Client> client = Connect(Options("wrong"));
  ASSERT_NE(client, nullptr);
  absl::Time start = absl::Now();
  absl::Status put = Put(*client, "/auth/a");
  EXPECT_NE(put.code(), absl::StatusCode::kUnavailable) << put;
  EXPECT_THAT(std::string(put.message()), HasSubstr("authentication failed"));
  EXPECT_LT(absl::Now() - start, absl::Seconds(1));
}

TEST_F(ClientAuthTest, WithoutCredentialsEtcdRefuses) {
  std::unique_ptr<Client> client = Connect(OptionsFor(cluster_.Endpoint(0)));
  ASSERT_NE(client, nullptr);
  EXPECT_FALSE(Put(*client, "/auth/a").ok());
}

TEST_F(ClientAuthTest, AnExpiredTokenIsReplaced) {
  std::unique_ptr<Client> client = Connect(Options("rootpw"));
  ASSERT_NE(client, nullptr);
  ASSERT_TRUE(Put(*client, "/auth/a").ok());
  // etcd drops a simple token unused for --auth-token-ttl (1 s here),
  // checking every second: nothing to wait on but time.
  absl::SleepFor(absl::Milliseconds(2500));
  absl::Status put = Put(*client, "/auth/b");
  EXPECT_TRUE(put.ok()) << put;
}

}  // namespace
}  // namespace xmppfed::etcd
