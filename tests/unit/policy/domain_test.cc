// NormalizeDomain and NormalizeProxyFqdn against SPEC §2's domain rules.
#include "agent/policy/domain.h"

#include <string>

#include "agent/errors/field_error.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace xmppfed::policy {
namespace {

using ::testing::HasSubstr;

// A name of exactly `octets` octets made of 63-octet labels and one shorter
// last label, e.g. for the 253/254 boundary.
std::string NameOfLength(std::size_t octets) {
  std::string name;
  while (octets - name.size() > 64) name += std::string(63, 'a') + ".";
  name += std::string(octets - name.size() - 4, 'b') + ".com";
  return name;
}

TEST(NameOfLengthTest, BuildsExactLengths) {
  EXPECT_EQ(NameOfLength(253).size(), 253u);
  EXPECT_EQ(NameOfLength(254).size(), 254u);
}

struct GoodDomain {
  std::string name;
  std::string input;
  std::string expected;
};

class GoodDomainTest : public ::testing::TestWithParam<GoodDomain> {};

TEST_P(GoodDomainTest, NormalizesToCanonicalForm) {
  absl::StatusOr<std::string> got =
      NormalizeDomain("identity", GetParam().input);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Domains, GoodDomainTest,
    ::testing::Values(
        GoodDomain{"Plain", "fabrikam.com", "fabrikam.com"},
        GoodDomain{"Uppercase", "Fabrikam.COM", "fabrikam.com"},
        GoodDomain{"TrailingDot", "fabrikam.com.", "fabrikam.com"},
        GoodDomain{"ULabel", "bücher.example", "xn--bcher-kva.example"},
        GoodDomain{"UppercaseULabel", "BÜCHER.example",
                   "xn--bcher-kva.example"},
        GoodDomain{"ALabel", "xn--bcher-kva.example", "xn--bcher-kva.example"},
        GoodDomain{"UppercaseALabel", "XN--BCHER-KVA.EXAMPLE",
                   "xn--bcher-kva.example"},
        GoodDomain{"ULabelTrailingDot", "bücher.example.",
                   "xn--bcher-kva.example"},
        GoodDomain{"SharpSNonTransitional", "faß.de", "xn--fa-hia.de"},
        GoodDomain{"Japanese", "日本語.jp", "xn--wgv71a119e.jp"},
        GoodDomain{"IdeographicFullStop", "bücher\u3002example",
                   "xn--bcher-kva.example"},
        GoodDomain{"FullwidthLetters", "ＥＸＡＭＰＬＥ.com", "example.com"},
        GoodDomain{"NfdInput", "u\u0308ber.example", "xn--ber-goa.example"},
        GoodDomain{"GreekALabel", "xn--nxasmq6b.example",
                   "xn--nxasmq6b.example"},
        GoodDomain{"Label63Octets", std::string(63, 'a') + ".com",
                   std::string(63, 'a') + ".com"},
        GoodDomain{"Name253Octets", NameOfLength(253), NameOfLength(253)},
        GoodDomain{"InnerHyphen", "a-b.example", "a-b.example"},
        GoodDomain{"DoubleHyphenLdh", "ab--cd.example", "ab--cd.example"},
        GoodDomain{"NumericFirstLabel", "123.example", "123.example"},
        GoodDomain{"ManyLabels", "a.b.c.d.example", "a.b.c.d.example"},
        GoodDomain{"ShortLabels", "x.y", "x.y"}),
    [](const auto& info) { return info.param.name; });

struct BadDomain {
  std::string name;
  std::string input;
  std::string rule;  // A substring of the rule in the error.
};

class BadDomainTest : public ::testing::TestWithParam<BadDomain> {};

TEST_P(BadDomainTest, IsRefusedNamingFieldValueAndRule) {
  absl::StatusOr<std::string> got =
      NormalizeDomain("additionalDomains", GetParam().input);
  ASSERT_FALSE(got.ok()) << "accepted as " << *got;
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(got.status().message()), HasSubstr(GetParam().rule));
  EXPECT_THAT(std::string(got.status().message()),
              ::testing::StartsWith("additionalDomains="));
  std::optional<v1::ErrorDetail> detail = errors::GetErrorDetail(got.status());
  ASSERT_TRUE(detail.has_value()) << "detail missing or not parseable";
  EXPECT_EQ(detail->field(), "additionalDomains");
  EXPECT_THAT(detail->rule(), HasSubstr(GetParam().rule));
}

INSTANTIATE_TEST_SUITE_P(
    Domains, BadDomainTest,
    ::testing::Values(
        BadDomain{"Empty", "", "a domain must not be empty"},
        BadDomain{"OnlyDot", ".", "a domain must not be empty"},
        BadDomain{"SingleLabel", "fabrikam", "at least two labels"},
        BadDomain{"SingleLabelTrailingDot", "localhost.",
                  "at least two labels"},
        BadDomain{"Ipv4", "192.0.2.1", "IP literals are not allowed"},
        BadDomain{"Ipv4ThreeParts", "10.0.1", "IP literals are not allowed"},
        BadDomain{"Ipv6", "2001:db8::1", "IP literals are not allowed"},
        BadDomain{"Ipv6Bracketed", "[2001:db8::1]",
                  "IP literals are not allowed"},
        BadDomain{"WithPort", "fabrikam.com:5269", "a domain has no port"},
        BadDomain{"WildcardLabel", "*.fabrikam.com",
                  "wildcards are not allowed"},
        BadDomain{"WildcardInLabel", "fab*.com", "wildcards are not allowed"},
        BadDomain{"EmptyInnerLabel", "fabrikam..com",
                  "empty labels are not allowed"},
        BadDomain{"LeadingDot", ".fabrikam.com",
                  "empty labels are not allowed"},
        BadDomain{"TwoTrailingDots", "fabrikam.com..",
                  "empty labels are not allowed"},
        BadDomain{"LeadingHyphen", "-fabrikam.com",
                  "label \"-fabrikam\" starts with a hyphen"},
        BadDomain{"TrailingHyphen", "fabrikam-.com",
                  "label \"fabrikam-\" ends with a hyphen"},
        BadDomain{"Underscore", "_xmpp.fabrikam.com",
                  "label \"_xmpp\" holds \"_\""},
        BadDomain{"Slash", "fab/rikam.com", "holds \"/\""},
        BadDomain{"InnerSpace", "fab rikam.com",
                  "spaces and control characters are not allowed"},
        BadDomain{"LeadingSpace", " fabrikam.com",
                  "spaces and control characters are not allowed"},
        BadDomain{"TrailingNewline", "fabrikam.com\n",
                  "spaces and control characters are not allowed"},
        BadDomain{"NoBreakSpace", "fab\u00a0rikam.com",
                  "spaces and control characters are not allowed"},
        BadDomain{"Label64Octets", std::string(64, 'a') + ".com",
                  "is longer than 63 octets"},
        BadDomain{"LongULabel", std::string(70, 'a') + "ü.example",
                  "is longer than 63 octets"},
        BadDomain{"Name254Octets", NameOfLength(254), "at most 253 octets"},
        BadDomain{"InvalidALabel", "xn--zz.example",
                  "label \"xn--zz\" is not a valid A-label"},
        BadDomain{"ALabelOfDisallowed", "xn--ls8h.example",
                  "is not a valid A-label"},
        BadDomain{"Emoji", "\U0001F600.example",
                  "is not a valid internationalised label"},
        BadDomain{"JoinerOutOfContext", "a\u200dü.example",
                  "is not a valid internationalised label"},
        BadDomain{"UnderscoreInULabel", "bü_cher.example", "holds \"_\""},
        BadDomain{"NumericTopLabel", "fabrikam.123",
                  "the last label must not be all digits"},
        BadDomain{"InvalidUtf8", "\xff.example", "not valid UTF-8"}),
    [](const auto& info) { return info.param.name; });

TEST(NormalizeDomainTest, MessageNamesFieldValueAndRule) {
  absl::StatusOr<std::string> got = NormalizeDomain("identity", "fabrikam");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(),
            "identity=fabrikam: a domain needs at least two labels");
  std::optional<v1::ErrorDetail> detail = errors::GetErrorDetail(got.status());
  ASSERT_TRUE(detail.has_value());
  EXPECT_EQ(detail->field(), "identity");
  EXPECT_EQ(detail->value(), "fabrikam");
}

TEST(NormalizeDomainTest, InvalidUtf8IsEscapedInTheDetailValue) {
  absl::StatusOr<std::string> got = NormalizeDomain("identity", "a\xff.com");
  ASSERT_FALSE(got.ok());
  std::optional<v1::ErrorDetail> detail = errors::GetErrorDetail(got.status());
  ASSERT_TRUE(detail.has_value());
  EXPECT_EQ(detail->value(), "a\\xFF.com");
}

TEST(NormalizeDomainTest, LongLabelIsShortenedInTheRule) {
  absl::StatusOr<std::string> got =
      NormalizeDomain("identity", std::string(64, 'a') + ".com");
  ASSERT_FALSE(got.ok());
  std::optional<v1::ErrorDetail> detail = errors::GetErrorDetail(got.status());
  ASSERT_TRUE(detail.has_value());
  EXPECT_EQ(detail->rule(), "label \"" + std::string(24, 'a') +
                                "...\" is longer than 63 octets");
}

struct ProxyCase {
  std::string name;
  std::string input;
  std::string expected;  // Normalised form, or a rule substring when bad.
  bool ok;
};

class ProxyFqdnTest : public ::testing::TestWithParam<ProxyCase> {};

TEST_P(ProxyFqdnTest, NormalizesOrRefuses) {
  absl::StatusOr<std::string> got = NormalizeProxyFqdn(GetParam().input);
  if (GetParam().ok) {
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, GetParam().expected);
    return;
  }
  ASSERT_FALSE(got.ok()) << "accepted as " << *got;
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(got.status().message()),
              HasSubstr(GetParam().expected));
  std::optional<v1::ErrorDetail> detail = errors::GetErrorDetail(got.status());
  ASSERT_TRUE(detail.has_value());
  EXPECT_EQ(detail->field(), "proxyFqdn");
  EXPECT_EQ(detail->value(), GetParam().input);
}

INSTANTIATE_TEST_SUITE_P(
    ProxyFqdn, ProxyFqdnTest,
    ::testing::Values(
        ProxyCase{"EmptyStaysEmpty", "", "", true},
        ProxyCase{"Domain", "proxy.fabrikam.com", "proxy.fabrikam.com", true},
        ProxyCase{"DomainWithPort", "Proxy.Fabrikam.COM:5269",
                  "proxy.fabrikam.com:5269", true},
        ProxyCase{"SingleLabel", "localhost", "localhost", true},
        ProxyCase{"PortLeadingZero", "localhost:05269", "localhost:5269", true},
        ProxyCase{"TrailingDotWithPort", "relay.example.:65535",
                  "relay.example:65535", true},
        ProxyCase{"IdnHost", "bücher.example:1", "xn--bcher-kva.example:1",
                  true},
        ProxyCase{"Ipv4", "192.0.2.7", "192.0.2.7", true},
        ProxyCase{"Ipv4WithPort", "192.0.2.7:5270", "192.0.2.7:5270", true},
        ProxyCase{"Ipv6Canonicalised", "[2001:DB8:0::1]", "[2001:db8::1]",
                  true},
        ProxyCase{"Ipv6WithPort", "[::1]:5269", "[::1]:5269", true},
        ProxyCase{"PortZero", "relay.example:0", "port must be a number",
                  false},
        ProxyCase{"PortTooBig", "relay.example:65536", "port must be a number",
                  false},
        ProxyCase{"PortEmpty", "relay.example:", "port must be a number",
                  false},
        ProxyCase{"PortNotNumber", "relay.example:xmpp",
                  "port must be a number", false},
        ProxyCase{"PortSigned", "relay.example:+5269", "port must be a number",
                  false},
        ProxyCase{"Ipv6Unbracketed", "2001:db8::1", "must be in brackets",
                  false},
        ProxyCase{"Ipv6Unclosed", "[::1", "needs a closing", false},
        ProxyCase{"JunkAfterBracket", "[::1]x", "may follow an IPv6 literal",
                  false},
        ProxyCase{"Ipv6ZoneId", "[fe80::1%eth0]", "not a valid IPv6 address",
                  false},
        ProxyCase{"Ipv6Empty", "[]", "not a valid IPv6 address", false},
        ProxyCase{"Ipv4OutOfRange", "256.1.1.1", "not a valid IPv4 address",
                  false},
        ProxyCase{"Ipv4Short", "10.1", "not a valid IPv4 address", false},
        ProxyCase{"Wildcard", "*.relay.example", "wildcards are not allowed",
                  false},
        ProxyCase{"Space", "relay .example", "spaces", false},
        ProxyCase{"EmptyHost", ":5269", "host name must not be empty", false},
        ProxyCase{"BracketInName", "re[lay.example", "brackets belong only",
                  false},
        ProxyCase{"LeadingHyphen", "-relay.example", "starts with a hyphen",
                  false},
        ProxyCase{"NumericTopLabel", "relay.123", "must not be all digits",
                  false},
        ProxyCase{"DirectTls", "tls://Relay.Example", "tls://relay.example",
                  true},
        ProxyCase{"DirectTlsWithPort", "TLS://relay.example:05270",
                  "tls://relay.example:5270", true},
        ProxyCase{"DirectTlsIpv6", "tls://[2001:DB8::1]:5270",
                  "tls://[2001:db8::1]:5270", true},
        ProxyCase{"DirectTlsBadPort", "tls://relay.example:0",
                  "port must be a number", false},
        ProxyCase{"DirectTlsNoHost", "tls://", "host name must not be empty",
                  false},
        ProxyCase{"OtherScheme", "https://relay.example",
                  "the only scheme allowed is tls://", false},
        ProxyCase{"XmppScheme", "xmpp://relay.example:5269",
                  "the only scheme allowed is tls://", false}),
    [](const auto& info) { return info.param.name; });

TEST(ParseProxyFqdnTest, PlainHostDefaultsToStartTlsOn5269) {
  ProxyTarget target = ParseProxyFqdn("relay.example");
  EXPECT_EQ(target.host, "relay.example");
  EXPECT_EQ(target.port, 5269);
  EXPECT_FALSE(target.direct_tls);
}

TEST(ParseProxyFqdnTest, TlsSchemeDefaultsToDirectTlsOn5270) {
  ProxyTarget target = ParseProxyFqdn("tls://relay.example");
  EXPECT_EQ(target.host, "relay.example");
  EXPECT_EQ(target.port, 5270);
  EXPECT_TRUE(target.direct_tls);
}

TEST(ParseProxyFqdnTest, PortsAndIpv6LiteralsAreSplit) {
  ProxyTarget v6 = ParseProxyFqdn("tls://[2001:db8::1]:15270");
  EXPECT_EQ(v6.host, "2001:db8::1");
  EXPECT_EQ(v6.port, 15270);
  EXPECT_TRUE(v6.direct_tls);
  ProxyTarget v4 = ParseProxyFqdn("192.0.2.7:5999");
  EXPECT_EQ(v4.host, "192.0.2.7");
  EXPECT_EQ(v4.port, 5999);
  EXPECT_FALSE(v4.direct_tls);
}

}  // namespace
}  // namespace xmppfed::policy
