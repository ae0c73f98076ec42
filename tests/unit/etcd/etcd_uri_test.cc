// The etcd store URI: endpoints, prefix, and the refusals naming the rule.
#include "agent/etcd/etcd_uri.h"

#include <string>

#include "agent/errors/field_error.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace xmppfed::etcd {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(EtcdUriTest, SeveralEndpointsAndAPrefix) {
  absl::StatusOr<EtcdAddress> address =
      ParseEtcdUri("etcd://10.0.0.1:2379,etcd2.example.com:2379/xmppfed");
  ASSERT_TRUE(address.ok()) << address.status();
  EXPECT_THAT(address->endpoints,
              ElementsAre("10.0.0.1:2379", "etcd2.example.com:2379"));
  EXPECT_EQ(address->key_prefix, "/xmppfed/");
}

TEST(EtcdUriTest, SchemeIsCaseInsensitiveAndSlashesAreTrimmed) {
  absl::StatusOr<EtcdAddress> address =
      ParseEtcdUri("ETCD://127.0.0.1:2379//site/a//");
  ASSERT_TRUE(address.ok()) << address.status();
  EXPECT_EQ(address->key_prefix, "/site/a/");
}

TEST(EtcdUriTest, Ipv6EndpointsAreBracketed) {
  absl::StatusOr<EtcdAddress> address = ParseEtcdUri("etcd://[::1]:2379/x");
  ASSERT_TRUE(address.ok()) << address.status();
  EXPECT_THAT(address->endpoints, ElementsAre("[::1]:2379"));
}

TEST(EtcdUriTest, AnEndpointGivenTwiceIsKeptOnce) {
  absl::StatusOr<EtcdAddress> address = ParseEtcdUri("etcd://h:1,h:1,h:2/x");
  ASSERT_TRUE(address.ok()) << address.status();
  EXPECT_THAT(address->endpoints, ElementsAre("h:1", "h:2"));
}

void ExpectRefused(const std::string& uri, const std::string& rule) {
  absl::StatusOr<EtcdAddress> address = ParseEtcdUri(uri);
  ASSERT_EQ(address.status().code(), absl::StatusCode::kInvalidArgument) << uri;
  std::optional<v1::ErrorDetail> detail =
      errors::GetErrorDetail(address.status());
  ASSERT_TRUE(detail.has_value());
  EXPECT_EQ(detail->field(), "store");
  EXPECT_EQ(detail->value(), uri);
  EXPECT_THAT(std::string(address.status().message()), HasSubstr(rule)) << uri;
}

TEST(EtcdUriTest, RefusalsNameTheRule) {
  ExpectRefused("etcd://127.0.0.1:2379", "no key prefix");
  ExpectRefused("etcd://127.0.0.1:2379/", "no key prefix");
  ExpectRefused("etcd:///xmppfed", "no endpoint");
  ExpectRefused("etcd://127.0.0.1/xmppfed", "needs a port");
  ExpectRefused("etcd://127.0.0.1:0/xmppfed", "from 1 to 65535");
  ExpectRefused("etcd://127.0.0.1:99999/xmppfed", "from 1 to 65535");
  ExpectRefused("etcd://127.0.0.1:2x/xmppfed", "from 1 to 65535");
  ExpectRefused("etcd://[::1/xmppfed", "[ADDRESS]:PORT");
  ExpectRefused("etcd://a b:1/xmppfed", "a name or an IP address");
  ExpectRefused("etcd://h:1,/xmppfed", "needs a port");
  ExpectRefused("etcd://h:1/x y", "the prefix may hold");
  ExpectRefused("etcd://h:1/a//b", "the prefix may hold");
  ExpectRefused("http://h:1/x", "expected etcd://HOST:PORT");
}

}  // namespace
}  // namespace xmppfed::etcd
