#include "agent/edge/component/handshake.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace xmppfed::edge::component {
namespace {

// XEP-0114 §3 shows the stream id '3BF96D32' and the handshake
// 'aaee83c26aeeafcbabeabfcbcd50df997e0a2a1e' but never states the secret.
// The secret "test" reproduces the example exactly:
//   printf '%s' 3BF96D32test | sha1sum
//   aaee83c26aeeafcbabeabfcbcd50df997e0a2a1e  -
constexpr char kXepStreamId[] = "3BF96D32";
constexpr char kXepSecret[] = "test";
constexpr char kXepHandshake[] = "aaee83c26aeeafcbabeabfcbcd50df997e0a2a1e";

// An example of our own:
//   printf '%s' 'c0ffee-42s3cret with spaces' | sha1sum
//   f8b7abf1e1eab48ad0ce3fc3897d75d4f4c195e3  -
constexpr char kOwnStreamId[] = "c0ffee-42";
constexpr char kOwnSecret[] = "s3cret with spaces";
constexpr char kOwnHandshake[] = "f8b7abf1e1eab48ad0ce3fc3897d75d4f4c195e3";

TEST(HandshakeDigestTest, MatchesTheExampleOfXep0114) {
  EXPECT_EQ(HandshakeDigest(kXepStreamId, kXepSecret), kXepHandshake);
}

TEST(HandshakeDigestTest, MatchesSha1sumOfTheConcatenation) {
  EXPECT_EQ(HandshakeDigest(kOwnStreamId, kOwnSecret), kOwnHandshake);
}

TEST(HandshakeDigestTest, IsFortyLowerCaseHexDigits) {
  EXPECT_THAT(HandshakeDigest("ID", "SECRET"),
              ::testing::MatchesRegex("[0-9a-f]{40}"));
}

TEST(HandshakeDigestTest, EachInputChangesTheDigest) {
  const std::string base = HandshakeDigest(kXepStreamId, kXepSecret);
  EXPECT_NE(HandshakeDigest("3BF96D33", kXepSecret), base);
  EXPECT_NE(HandshakeDigest(kXepStreamId, "Test"), base);
}

TEST(HandshakeMatchesTest, AcceptsTheRightDigest) {
  EXPECT_TRUE(HandshakeMatches(kXepHandshake, kXepStreamId, kXepSecret));
}

TEST(HandshakeMatchesTest, AcceptsUpperCaseHex) {
  EXPECT_TRUE(HandshakeMatches("AAEE83C26AEEAFCBABEABFCBCD50DF997E0A2A1E",
                               kXepStreamId, kXepSecret));
  EXPECT_TRUE(HandshakeMatches("aaEE83c26aeeafcbabeabfcbcd50df997e0a2a1E",
                               kXepStreamId, kXepSecret));
}

TEST(HandshakeMatchesTest, RefusesAWrongSecretOrStreamId) {
  EXPECT_FALSE(HandshakeMatches(kXepHandshake, kXepStreamId, "tesT"));
  EXPECT_FALSE(HandshakeMatches(kXepHandshake, "3bf96d32", kXepSecret));
}

TEST(HandshakeMatchesTest, RefusesAnyChangedDigit) {
  const std::string digest = kXepHandshake;
  for (std::size_t i = 0; i < digest.size(); ++i) {
    std::string forged = digest;
    forged[i] = forged[i] == '0' ? '1' : '0';
    EXPECT_FALSE(HandshakeMatches(forged, kXepStreamId, kXepSecret))
        << "at " << i;
  }
}

TEST(HandshakeMatchesTest, RefusesWrongLengthsAndPadding) {
  const std::string digest = kXepHandshake;
  EXPECT_FALSE(HandshakeMatches("", kXepStreamId, kXepSecret));
  EXPECT_FALSE(
      HandshakeMatches(digest.substr(0, 39), kXepStreamId, kXepSecret));
  EXPECT_FALSE(HandshakeMatches(digest + "0", kXepStreamId, kXepSecret));
  EXPECT_FALSE(HandshakeMatches(" " + digest, kXepStreamId, kXepSecret));
  EXPECT_FALSE(HandshakeMatches(digest + "\n", kXepStreamId, kXepSecret));
}

}  // namespace
}  // namespace xmppfed::edge::component
