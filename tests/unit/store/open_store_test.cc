// OpenStore's URI forms.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/ports.h"
#include "tests/unit/store/store_fixture.h"

namespace xmppfed::store::testing {
namespace {

using ::testing::HasSubstr;

TEST_P(StoreTest, UriOpensAndIsReportedAsGiven) {
  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(Uri());
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->uri(), Uri());
}

TEST_F(SqliteStoreTest, SchemeIsCaseInsensitive) {
  std::string uri = "SQLite:" + DbPath();
  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore(uri);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->uri(), uri);
}

TEST(OpenStoreTest, EtcdUriWithoutPrefixIsInvalidArgument) {
  absl::StatusOr<std::unique_ptr<Store>> store =
      OpenStore("etcd://127.0.0.1:2379");
  ASSERT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Detail(store.status()).field(), "store");
  EXPECT_THAT(std::string(store.status().message()), HasSubstr("prefix"));
}

TEST(OpenStoreTest, EtcdWithNoMemberUpIsUnavailableNamingTheEndpoints) {
  std::string endpoints =
      "127.0.0.1:" + std::to_string(xmppfed::testing::ClosedLoopbackPort()) +
      ",127.0.0.1:" + std::to_string(xmppfed::testing::ClosedLoopbackPort());
  absl::StatusOr<std::unique_ptr<Store>> store =
      OpenStore("etcd://" + endpoints + "/xmppfed");
  ASSERT_EQ(store.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(store.status().message()),
              HasSubstr("the etcd store at " + endpoints + " is unreachable"));
}

TEST_F(SqliteStoreTest, ListsItsOwnAgentAsTheOnlyNode) {
  Store& store = Open();
  EXPECT_TRUE(store.ListNodes()->empty());
  v1::Node node;
  node.set_id("n1");
  node.set_host_name("edge");
  ASSERT_TRUE(store.PublishNode(node).ok());
  absl::StatusOr<std::vector<v1::Node>> nodes = store.ListNodes();
  ASSERT_TRUE(nodes.ok());
  ASSERT_EQ(nodes->size(), 1u);
  EXPECT_EQ((*nodes)[0].id(), "n1");
  EXPECT_EQ(store.GetState().backend(), "sqlite");
  EXPECT_TRUE(store.GetState().reachable());
}

TEST(OpenStoreTest, UnknownSchemeIsInvalidArgumentNamingTheAcceptedForms) {
  absl::StatusOr<std::unique_ptr<Store>> store =
      OpenStore("postgres://db/xmppfed");
  ASSERT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument);
  v1::ErrorDetail detail = Detail(store.status());
  EXPECT_EQ(detail.field(), "store");
  EXPECT_EQ(detail.value(), "postgres://db/xmppfed");
  EXPECT_THAT(std::string(store.status().message()), HasSubstr("sqlite:PATH"));
  EXPECT_THAT(std::string(store.status().message()),
              HasSubstr("etcd://HOST:PORT/PREFIX"));
}

TEST(OpenStoreTest, BarePathIsInvalidArgument) {
  absl::StatusOr<std::unique_ptr<Store>> store =
      OpenStore("/var/lib/xmppfed/xmppfed.db");
  ASSERT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Detail(store.status()).field(), "store");
}

TEST(OpenStoreTest, EmptyUriIsInvalidArgument) {
  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore("");
  ASSERT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Detail(store.status()).field(), "store");
}

TEST(OpenStoreTest, SqliteWithoutPathIsInvalidArgument) {
  absl::StatusOr<std::unique_ptr<Store>> store = OpenStore("sqlite:");
  ASSERT_EQ(store.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Detail(store.status()).field(), "store");
  EXPECT_EQ(Detail(store.status()).value(), "sqlite:");
}

}  // namespace
}  // namespace xmppfed::store::testing
