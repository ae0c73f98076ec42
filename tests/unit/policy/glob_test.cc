// NormalizeGlob: the --filter of get-partner / remove-partner.
#include <string>

#include "agent/errors/field_error.h"
#include "agent/policy/domain.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace xmppfed::policy {
namespace {

using ::testing::HasSubstr;

struct GlobCase {
  std::string name;
  std::string input;
  std::string expected;  // Normalised glob, or a rule substring when bad.
  bool ok;
};

class GlobTest : public ::testing::TestWithParam<GlobCase> {};

TEST_P(GlobTest, NormalizesOrRefuses) {
  absl::StatusOr<std::string> got = NormalizeGlob(GetParam().input);
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
  EXPECT_EQ(detail->field(), "filter");
}

INSTANTIATE_TEST_SUITE_P(
    Globs, GlobTest,
    ::testing::Values(
        GlobCase{"EmptyMeansNoFilter", "", "", true},
        GlobCase{"Star", "*", "*", true},
        GlobCase{"LowerCased", "FAB*.COM", "fab*.com", true},
        GlobCase{"QuestionMark", "?abrikam.com", "?abrikam.com", true},
        GlobCase{"Range", "[A-C]*", "[a-c]*", true},
        GlobCase{"NegatedRange", "[^a-c]*.com", "[^a-c]*.com", true},
        GlobCase{"BracketAsFirstMember", "[]]*", "[]]*", true},
        GlobCase{"BracketAfterCaret", "[^]]x", "[^]]x", true},
        GlobCase{"LoneClosingBracket", "a]b", "a]b", true},
        GlobCase{"ALabel", "xn--bcher-kva.*", "xn--bcher-kva.*", true},
        GlobCase{"MaxLength", std::string(1024, 'a'), std::string(1024, 'a'),
                 true},
        GlobCase{"TooLong", std::string(1025, 'a'), "at most 1024 characters",
                 false},
        GlobCase{"UnclosedAtEnd", "fab*[", "\"[\" at position 5 is not closed",
                 false},
        GlobCase{"UnclosedRange", "[a-z", "is not closed", false},
        GlobCase{"EmptyClassIsUnclosed", "[]", "is not closed", false},
        GlobCase{"NonAscii", "bücher*", "A-label form", false},
        GlobCase{"ControlCharacter", "fab\t*", "control characters", false}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace xmppfed::policy
