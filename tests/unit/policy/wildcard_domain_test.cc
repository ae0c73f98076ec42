// NormalizeAdditionalDomain's wildcard form "*.BASE" and WildcardCovers.
#include <string>

#include "agent/errors/field_error.h"
#include "agent/policy/domain.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace xmppfed::policy {
namespace {

using ::testing::HasSubstr;

struct GoodWildcard {
  std::string name;
  std::string input;
  std::string expected;
};

class GoodWildcardTest : public ::testing::TestWithParam<GoodWildcard> {};

TEST_P(GoodWildcardTest, NormalizesToCanonicalForm) {
  absl::StatusOr<std::string> got =
      NormalizeAdditionalDomain("additionalDomains", GetParam().input);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Wildcards, GoodWildcardTest,
    ::testing::Values(
        GoodWildcard{"Plain", "*.fabrikam.com", "*.fabrikam.com"},
        GoodWildcard{"Uppercase", "*.Fabrikam.COM", "*.fabrikam.com"},
        GoodWildcard{"TrailingDot", "*.fabrikam.com.", "*.fabrikam.com"},
        GoodWildcard{"Deep", "*.eu.fabrikam.com", "*.eu.fabrikam.com"},
        GoodWildcard{"ULabelStoredAsALabel", "*.bücher.example",
                     "*.xn--bcher-kva.example"},
        GoodWildcard{"ALabel", "*.xn--bcher-kva.example",
                     "*.xn--bcher-kva.example"},
        GoodWildcard{"ExactDomainUnchanged", "Fabrikam.net", "fabrikam.net"}),
    [](const auto& info) { return info.param.name; });

struct BadWildcard {
  std::string name;
  std::string input;
  std::string rule;  // A substring of the rule in the error.
};

class BadWildcardTest : public ::testing::TestWithParam<BadWildcard> {};

TEST_P(BadWildcardTest, IsRefusedNamingFieldValueAndRule) {
  absl::StatusOr<std::string> got =
      NormalizeAdditionalDomain("additionalDomains", GetParam().input);
  ASSERT_FALSE(got.ok()) << "accepted as " << *got;
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
  // Long values are shortened in the message (text::ValueForError).
  EXPECT_THAT(std::string(got.status().message()),
              ::testing::StartsWith("additionalDomains=" +
                                    GetParam().input.substr(0, 24)));
  std::optional<v1::ErrorDetail> detail = errors::GetErrorDetail(got.status());
  ASSERT_TRUE(detail.has_value());
  EXPECT_EQ(detail->field(), "additionalDomains");
  EXPECT_THAT(detail->value(),
              ::testing::StartsWith(GetParam().input.substr(0, 24)));
  EXPECT_THAT(detail->rule(), HasSubstr(GetParam().rule));
}

constexpr char kForm[] = "only as a whole leading label \"*.\"";

INSTANTIATE_TEST_SUITE_P(
    Wildcards, BadWildcardTest,
    ::testing::Values(
        BadWildcard{"StarAlone", "*", kForm},
        BadWildcard{"StarDot", "*.", kForm},
        BadWildcard{"OneLabelBase", "*.com", "not *.com"},
        BadWildcard{"OneLabelBaseTrailingDot", "*.com.", "not *.com"},
        BadWildcard{"InnerStar", "a.*.b.com", kForm},
        BadWildcard{"StarInLabel", "*foo.b.com", kForm},
        BadWildcard{"DoubleStar", "**.x.com", kForm},
        BadWildcard{"TwoWildcardLabels", "*.*.x.com", kForm},
        BadWildcard{"TrailingStar", "fabrikam.*", kForm},
        BadWildcard{"BadBaseLabel", "*.fab_rikam.com", "holds \"_\""},
        BadWildcard{"IpBase", "*.192.0.2.1", "IP literals are not allowed"},
        BadWildcard{"TooLong",
                    "*." + std::string(63, 'a') + "." + std::string(63, 'b') +
                        "." + std::string(63, 'c') + "." +
                        std::string(56, 'd') + ".com",
                    "at most 253 octets"}),
    [](const auto& info) { return info.param.name; });

TEST(NormalizeDomainTest, IdentityStaysExact) {
  absl::StatusOr<std::string> got =
      NormalizeDomain("identity", "*.fabrikam.com");
  ASSERT_FALSE(got.ok());
  EXPECT_THAT(std::string(got.status().message()),
              HasSubstr("wildcards are not allowed"));
}

TEST(WildcardCoversTest, CoversSubdomainsAtAnyDepthNeverTheBase) {
  EXPECT_TRUE(WildcardCovers("*.fabrikam.com", "conference.fabrikam.com"));
  EXPECT_TRUE(WildcardCovers("*.fabrikam.com", "a.b.fabrikam.com"));
  EXPECT_FALSE(WildcardCovers("*.fabrikam.com", "fabrikam.com"));
  EXPECT_FALSE(WildcardCovers("*.fabrikam.com", "notfabrikam.com"));
  EXPECT_FALSE(WildcardCovers("*.fabrikam.com", "fabrikam.com.evil.com"));
  EXPECT_FALSE(WildcardCovers("fabrikam.com", "a.fabrikam.com"));
  EXPECT_TRUE(IsWildcardDomain("*.fabrikam.com"));
  EXPECT_FALSE(IsWildcardDomain("fabrikam.com"));
}

}  // namespace
}  // namespace xmppfed::policy
