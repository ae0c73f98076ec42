#include "agent/errors/field_error.h"

#include <gtest/gtest.h>

namespace xmppfed::errors {
namespace {

TEST(FieldErrorTest, InvalidFieldNamesFieldValueAndRule) {
  absl::Status status =
      InvalidField("description", "bad\x01", "no control characters");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "description=bad?: no control characters");
  std::optional<v1::ErrorDetail> detail = GetErrorDetail(status);
  ASSERT_TRUE(detail.has_value());
  EXPECT_EQ(detail->field(), "description");
  EXPECT_EQ(detail->value(), "bad\x01");
  EXPECT_EQ(detail->rule(), "no control characters");
}

TEST(FieldErrorTest, FieldErrorCarriesTheOwner) {
  absl::Status status =
      FieldError(absl::StatusCode::kAlreadyExists, "identity", "contoso.com",
                 "already belongs to partner x.com",
                 "identity=contoso.com: already belongs", "x.com");
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(GetErrorDetail(status)->owner(), "x.com");
}

TEST(FieldErrorTest, StatusWithoutDetailHasNone) {
  EXPECT_FALSE(GetErrorDetail(absl::InternalError("disk")).has_value());
}

TEST(FieldErrorTest, QuoteValueQuotesEmptyAndSpacedAndShortensLong) {
  EXPECT_EQ(QuoteValue(""), "\"\"");
  EXPECT_EQ(QuoteValue("a b"), "\"a b\"");
  EXPECT_EQ(QuoteValue("plain"), "plain");
  std::string quoted = QuoteValue(std::string(100, 'x'));
  EXPECT_EQ(quoted, std::string(64, 'x') + "...");
}

}  // namespace
}  // namespace xmppfed::errors
