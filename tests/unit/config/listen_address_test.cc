#include "agent/config/listen_address.h"

#include <gtest/gtest.h>

namespace xmppfed::config {
namespace {

TEST(ListenAddressTest, OffDisablesTheListener) {
  absl::StatusOr<ListenAddress> address =
      ParseListenAddress("s2s-listen", "off");
  ASSERT_TRUE(address.ok());
  EXPECT_TRUE(address->off);
  EXPECT_EQ(address->ToString(), "off");
}

TEST(ListenAddressTest, Ipv4WithPort) {
  absl::StatusOr<ListenAddress> address =
      ParseListenAddress("component-listen", "127.0.0.1:5347");
  ASSERT_TRUE(address.ok());
  EXPECT_FALSE(address->off);
  EXPECT_EQ(address->host, "127.0.0.1");
  EXPECT_EQ(address->port, 5347);
  EXPECT_EQ(address->ToString(), "127.0.0.1:5347");
}

TEST(ListenAddressTest, BracketedIpv6WithPortZero) {
  absl::StatusOr<ListenAddress> address =
      ParseListenAddress("s2s-listen", "[::]:0");
  ASSERT_TRUE(address.ok());
  EXPECT_EQ(address->host, "::");
  EXPECT_EQ(address->port, 0);
  EXPECT_EQ(address->ToString(), "[::]:0");
}

struct BadAddress {
  const char* value;
  const char* rule_fragment;
};

class BadListenAddressTest : public ::testing::TestWithParam<BadAddress> {};

TEST_P(BadListenAddressTest, IsRefusedNamingOptionValueAndRule) {
  absl::StatusOr<ListenAddress> address =
      ParseListenAddress("s2s-listen", GetParam().value);
  ASSERT_FALSE(address.ok());
  EXPECT_EQ(address.status().code(), absl::StatusCode::kInvalidArgument);
  std::string message(address.status().message());
  {
    EXPECT_NE(message.find(std::string("--s2s-listen=") + GetParam().value),
              std::string::npos)
        << message;
    EXPECT_NE(message.find(GetParam().rule_fragment), std::string::npos)
        << message;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadListenAddressTest,
    ::testing::Values(BadAddress{"5269", "missing :PORT"},
                      BadAddress{"localhost:5269", "not an IPv4 address"},
                      BadAddress{"::1:5269", "not an IPv4 address"},
                      BadAddress{"[::1]5269", "[ADDRESS]:PORT"},
                      BadAddress{"[zz]:5269", "not an IPv6 address"},
                      BadAddress{"127.0.0.1:65536", "0 to 65535"},
                      BadAddress{"127.0.0.1:http", "0 to 65535"},
                      BadAddress{"", "missing :PORT"}));

}  // namespace
}  // namespace xmppfed::config
