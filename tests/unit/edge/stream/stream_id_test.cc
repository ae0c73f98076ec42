// Stream ids: 128 random bits as 32 lower-case hex digits, never repeated.
#include "agent/edge/stream/stream_id.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace xmppfed::edge {
namespace {

TEST(StreamIdTest, IsThirtyTwoLowerCaseHexDigits) {
  absl::StatusOr<std::string> id = RandomStreamId();
  ASSERT_TRUE(id.ok()) << id.status();
  ASSERT_EQ(id->size(), 32u);
  EXPECT_EQ(id->find_first_not_of("0123456789abcdef"), std::string::npos)
      << *id;
}

TEST(StreamIdTest, TenThousandIdsAreDistinctAndUseEveryDigit) {
  std::set<std::string> ids;
  std::set<char> digits;
  for (int i = 0; i < 10000; ++i) {
    absl::StatusOr<std::string> id = RandomStreamId();
    ASSERT_TRUE(id.ok());
    ids.insert(*id);
    digits.insert(id->begin(), id->end());
  }
  EXPECT_EQ(ids.size(), 10000u);
  EXPECT_EQ(digits.size(), 16u);
}

}  // namespace
}  // namespace xmppfed::edge
