// Each StreamLimits bound: accepted exactly at the bound, kPolicyViolation
// one above, and refused before an oversized element is buffered whole.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "agent/edge/xml/stream_parser.h"
#include "tests/unit/edge/xml/recording_handler.h"

namespace xmppfed::edge::xml {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr std::string_view kOpen = "<message><body>";
constexpr std::string_view kClose = "</body></message>";

// A <message> of exactly `size` bytes.
std::string StanzaOfSize(size_t size) {
  return std::string(kOpen) +
         std::string(size - kOpen.size() - kClose.size(), 'x') +
         std::string(kClose);
}

std::string Header() { return std::string(kServerHeader); }

using StreamLimitsTest = XmlTest;

TEST_F(StreamLimitsTest, StanzaOfExactlyMaxBytesIsAccepted) {
  StreamLimits limits;
  limits.max_stanza_bytes = 1000;
  auto handler = ParseAll(ctx_, Header() + StanzaOfSize(1000), limits);
  EXPECT_EQ(handler->stanzas.size(), 1u);
  EXPECT_FALSE(handler->error.has_value());
}

TEST_F(StreamLimitsTest, StanzaOneByteOverMaxBytesIsPolicyViolation) {
  StreamLimits limits;
  limits.max_stanza_bytes = 1000;
  auto handler = ParseAll(ctx_, Header() + StanzaOfSize(1001), limits);
  EXPECT_THAT(handler->events, ElementsAre("open", "error policy-violation"));
  EXPECT_THAT(handler->error_detail, HasSubstr("1000"));
}

TEST_F(StreamLimitsTest, StanzaLimitHoldsWhenFedByteByByte) {
  StreamLimits limits;
  limits.max_stanza_bytes = 200;
  RecordingHandler handler;
  StreamParser parser(ctx_, limits, &handler);
  parser.Feed(Header());
  for (char byte : StanzaOfSize(200) + StanzaOfSize(201)) {
    parser.Feed(std::string_view(&byte, 1));
  }
  EXPECT_EQ(handler.stanzas.size(), 1u);
  EXPECT_EQ(handler.error, StreamError::kPolicyViolation);
}

TEST_F(StreamLimitsTest, UnfinishedStanzaIsRefusedAtItsLimitPlusOneByte) {
  StreamLimits limits;
  limits.max_stanza_bytes = 100;
  RecordingHandler handler;
  StreamParser parser(ctx_, limits, &handler);
  parser.Feed(Header());
  // An endless start tag: nothing completes, so only the pending-bytes bound
  // can stop it.
  std::string endless = "<message a='" + std::string(1000, 'x');
  size_t fed = 0;
  for (char byte : endless) {
    if (parser.failed()) break;
    parser.Feed(std::string_view(&byte, 1));
    ++fed;
  }
  EXPECT_EQ(handler.error, StreamError::kPolicyViolation);
  EXPECT_EQ(fed, 101u);
}

TEST_F(StreamLimitsTest, OneHugeFeedIsRefusedWithoutParsingItAll) {
  StreamLimits limits;
  limits.max_stanza_bytes = 100;
  RecordingHandler handler;
  StreamParser parser(ctx_, limits, &handler);
  parser.Feed(Header());
  // Would be not-well-formed at the end; the size limit must come first.
  std::string huge = "<message a='" + std::string(1 << 20, 'x') + "<<";
  parser.Feed(huge);
  EXPECT_EQ(handler.error, StreamError::kPolicyViolation);
}

TEST_F(StreamLimitsTest, WhitespaceBetweenStanzasDoesNotCountTowardsLimit) {
  StreamLimits limits;
  limits.max_stanza_bytes = 100;
  auto handler =
      ParseAll(ctx_,
               Header() + StanzaOfSize(100) + std::string(1000, ' ') +
                   StanzaOfSize(100) + std::string(1000, '\n'),
               limits);
  EXPECT_EQ(handler->stanzas.size(), 2u);
  EXPECT_FALSE(handler->error.has_value());
}

TEST_F(StreamLimitsTest, HeaderOfExactlyMaxBytesIsAccepted) {
  StreamLimits limits;
  limits.max_header_bytes = kServerHeader.size();
  auto handler = ParseAll(ctx_, Header() + "<presence/>", limits);
  EXPECT_THAT(handler->events, ElementsAre("open", "stanza <presence/>"));
}

TEST_F(StreamLimitsTest, HeaderOneByteOverMaxBytesIsPolicyViolation) {
  StreamLimits limits;
  limits.max_header_bytes = kServerHeader.size() - 1;
  auto handler = ParseAll(ctx_, Header(), limits);
  EXPECT_THAT(handler->events, ElementsAre("error policy-violation"));
}

TEST_F(StreamLimitsTest, EndlessHeaderIsRefusedAtItsLimitPlusOneByte) {
  StreamLimits limits;
  limits.max_header_bytes = 64;
  RecordingHandler handler;
  StreamParser parser(ctx_, limits, &handler);
  std::string endless = "<stream:stream " + std::string(1000, ' ');
  size_t fed = 0;
  for (char byte : endless) {
    if (parser.failed()) break;
    parser.Feed(std::string_view(&byte, 1));
    ++fed;
  }
  EXPECT_EQ(handler.error, StreamError::kPolicyViolation);
  EXPECT_EQ(fed, 65u);
}

TEST_F(StreamLimitsTest, DepthExactlyAtMaxIsAccepted) {
  StreamLimits limits;
  limits.max_depth = 3;  // message = 1, a = 2, b = 3
  auto handler =
      ParseAll(ctx_, Header() + "<message><a><b/></a></message>", limits);
  EXPECT_THAT(handler->events,
              ElementsAre("open", "stanza <message><a><b/></a></message>"));
}

TEST_F(StreamLimitsTest, DepthOneAboveMaxIsPolicyViolation) {
  StreamLimits limits;
  limits.max_depth = 3;
  auto handler = ParseAll(
      ctx_, Header() + "<message><a><b><c/></b></a></message>", limits);
  EXPECT_THAT(handler->events, ElementsAre("open", "error policy-violation"));
  EXPECT_THAT(handler->error_detail, HasSubstr("deeper than 3"));
}

TEST_F(StreamLimitsTest, DeepNestingIsRefusedBeforeItCloses) {
  StreamLimits limits;
  limits.max_depth = 32;
  std::string deep = Header();
  for (int i = 0; i < 10000; ++i) deep += "<a>";
  auto handler = ParseAll(ctx_, deep, limits);
  EXPECT_EQ(handler->error, StreamError::kPolicyViolation);
}

TEST_F(StreamLimitsTest, AttributesExactlyAtMaxAreAccepted) {
  StreamLimits limits;
  limits.max_attributes = 8;  // the header has exactly 8, xmlns included
  auto handler = ParseAll(
      ctx_,
      Header() + "<message a='1' b='2' c='3' d='4' e='5' f='6' g='7' h='8'/>",
      limits);
  EXPECT_EQ(handler->stanzas.size(), 1u);
  EXPECT_FALSE(handler->error.has_value());
}

TEST_F(StreamLimitsTest, AttributesOneAboveMaxArePolicyViolation) {
  StreamLimits limits;
  limits.max_attributes = 8;
  auto handler = ParseAll(
      ctx_,
      Header() +
          "<message a='1' b='2' c='3' d='4' e='5' f='6' g='7' h='8' i='9'/>",
      limits);
  EXPECT_THAT(handler->events, ElementsAre("open", "error policy-violation"));
}

TEST_F(StreamLimitsTest, NamespaceDeclarationsCountAsAttributes) {
  StreamLimits limits;
  limits.max_attributes = 8;
  auto handler =
      ParseAll(ctx_,
               Header() +
                   "<message xmlns='jabber:server' xmlns:e='urn:e' c='3' d='4' "
                   "e='5' f='6' g='7' h='8' i='9'/>",
               limits);
  EXPECT_THAT(handler->events, ElementsAre("open", "error policy-violation"));
}

TEST_F(StreamLimitsTest, HeaderAttributesOneAboveMaxArePolicyViolation) {
  StreamLimits limits;
  limits.max_attributes = 7;
  auto handler = ParseAll(ctx_, Header(), limits);
  EXPECT_THAT(handler->events, ElementsAre("error policy-violation"));
}

// <message> holding `children` empty <a/> elements, each followed by `gap`.
std::string FlatStanza(size_t children, std::string_view gap = "") {
  std::string stanza = "<message>";
  for (size_t i = 0; i < children; ++i) {
    stanza += "<a/>";
    stanza += gap;
  }
  return stanza + "</message>";
}

TEST_F(StreamLimitsTest, ChildrenExactlyAtMaxAreAccepted) {
  StreamLimits limits;
  limits.max_children = 100;
  auto handler = ParseAll(ctx_, Header() + FlatStanza(100), limits);
  EXPECT_EQ(handler->stanzas.size(), 1u);
  EXPECT_FALSE(handler->error.has_value());
}

TEST_F(StreamLimitsTest, ChildrenOneAboveMaxArePolicyViolation) {
  StreamLimits limits;
  limits.max_children = 100;
  auto handler = ParseAll(ctx_, Header() + FlatStanza(101), limits);
  EXPECT_THAT(handler->events, ElementsAre("open", "error policy-violation"));
  EXPECT_THAT(handler->error_detail, HasSubstr("100 child elements"));
}

TEST_F(StreamLimitsTest, TextBetweenChildrenDoesNotCountAsChildren) {
  StreamLimits limits;
  limits.max_children = 100;
  auto handler = ParseAll(ctx_, Header() + FlatStanza(100, "\n  "), limits);
  EXPECT_EQ(handler->stanzas.size(), 1u);
  EXPECT_FALSE(handler->error.has_value());
}

TEST_F(StreamLimitsTest, ChildCapHoldsForEachElementOnItsOwn) {
  StreamLimits limits;
  limits.max_children = 3;
  // Three children, one of which has three children of its own: fine.
  auto handler = ParseAll(
      ctx_, Header() + "<message><a/><b><c/><c/><c/></b><a/></message>",
      limits);
  EXPECT_EQ(handler->stanzas.size(), 1u);
  EXPECT_FALSE(handler->error.has_value());
  auto nested = ParseAll(
      ctx_, Header() + "<message><b><c/><c/><c/><c/></b></message>", limits);
  EXPECT_EQ(nested->error, StreamError::kPolicyViolation);
}

TEST_F(StreamLimitsTest, DefaultChildCapRefusesTheFlatStanzaAttack) {
  // 64k empty children fit in the default 256 KiB: refused by the cap.
  auto handler = ParseAll(ctx_, Header() + FlatStanza(65536));
  EXPECT_EQ(handler->error, StreamError::kPolicyViolation);
  EXPECT_THAT(handler->error_detail, HasSubstr("10000 child elements"));
}

}  // namespace
}  // namespace xmppfed::edge::xml
