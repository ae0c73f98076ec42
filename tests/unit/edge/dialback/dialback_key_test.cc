#include "agent/edge/dialback/dialback_key.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace xmppfed::edge::dialback {
namespace {

// The worked example of XEP-0185 §3 ("Example"), version 1.0 (2007-02-15):
// the table "Data Used in Examples" and the key the Originating Server sends
// in step 4 (and the Authoritative Server recomputes in step 8).
constexpr char kXepSecret[] = "s3cr3tf0rd14lb4ck";
constexpr char kXepReceivingServer[] = "xmpp.example.com";
constexpr char kXepOriginatingServer[] = "example.org";
constexpr char kXepStreamId[] = "D60000229F";
constexpr char kXepKey[] =
    "37c69b1cf07a3f67c04a5ef5902fa5114f2c76fe4a2686482ba5b89323075643";

TEST(DialbackKeyTest, MatchesTheWorkedExampleOfXep0185) {
  EXPECT_EQ(DialbackKey(kXepSecret, kXepReceivingServer, kXepOriginatingServer,
                        kXepStreamId),
            kXepKey);
}

TEST(DialbackKeyTest, IsSixtyFourLowerCaseHexDigits) {
  std::string key = DialbackKey("another secret", "a.example", "b.example",
                                "0123456789abcdef");
  EXPECT_THAT(key, ::testing::MatchesRegex("[0-9a-f]{64}"));
}

TEST(DialbackKeyTest, EveryInputChangesTheKey) {
  const std::string base = DialbackKey(kXepSecret, kXepReceivingServer,
                                       kXepOriginatingServer, kXepStreamId);
  EXPECT_NE(DialbackKey("s3cr3tf0rd14lb4cK", kXepReceivingServer,
                        kXepOriginatingServer, kXepStreamId),
            base);
  EXPECT_NE(DialbackKey(kXepSecret, "xmpp.example.net", kXepOriginatingServer,
                        kXepStreamId),
            base);
  EXPECT_NE(
      DialbackKey(kXepSecret, kXepReceivingServer, "example.net", kXepStreamId),
      base);
  EXPECT_NE(DialbackKey(kXepSecret, kXepReceivingServer, kXepOriginatingServer,
                        "D60000229E"),
            base);
}

TEST(DialbackKeyTest, SwappingTheServersChangesTheKey) {
  EXPECT_NE(DialbackKey(kXepSecret, kXepReceivingServer, kXepOriginatingServer,
                        kXepStreamId),
            DialbackKey(kXepSecret, kXepOriginatingServer, kXepReceivingServer,
                        kXepStreamId));
}

// The spaces between the fields keep "example.info" + "rm.example.org" apart
// from "example.in" + "form.example.org" (the note in XEP-0185 §2).
TEST(DialbackKeyTest, TheSeparatorsKeepShiftedBoundariesApart) {
  EXPECT_NE(DialbackKey(kXepSecret, "example.info", "rm.example.org", "id"),
            DialbackKey(kXepSecret, "example.in", "form.example.org", "id"));
}

TEST(DialbackKeyTest, IsTheSameEveryTime) {
  EXPECT_EQ(DialbackKey("s", "r.example", "o.example", "id"),
            DialbackKey("s", "r.example", "o.example", "id"));
}

TEST(KeysEqualTest, EqualKeysAreEqual) {
  EXPECT_TRUE(KeysEqual(kXepKey, std::string(kXepKey)));
  EXPECT_TRUE(KeysEqual("", ""));
}

TEST(KeysEqualTest, ADifferenceAnywhereIsADifference) {
  const std::string key = kXepKey;
  for (std::size_t i = 0; i < key.size(); ++i) {
    std::string forged = key;
    forged[i] = forged[i] == '0' ? '1' : '0';
    EXPECT_FALSE(KeysEqual(key, forged)) << "at " << i;
  }
}

TEST(KeysEqualTest, APrefixOrExtensionIsNotEqual) {
  const std::string key = kXepKey;
  EXPECT_FALSE(KeysEqual(key, key.substr(0, 63)));
  EXPECT_FALSE(KeysEqual(key, key + "0"));
  EXPECT_FALSE(KeysEqual(key, ""));
  EXPECT_FALSE(KeysEqual("", key));
}

TEST(KeysEqualTest, ComparesBytesSoCaseMatters) {
  EXPECT_FALSE(KeysEqual("abcdef", "ABCDEF"));
}

TEST(KeysEqualTest, EmbeddedNulBytesAreCompared) {
  EXPECT_FALSE(KeysEqual(std::string("ab\0c", 4), std::string("ab\0d", 4)));
  EXPECT_TRUE(KeysEqual(std::string("ab\0c", 4), std::string("ab\0c", 4)));
}

}  // namespace
}  // namespace xmppfed::edge::dialback
