// Reading a <stream:error/> a peer sent: recognising it among top-level
// elements and describing its condition and text for the log.
#include "agent/edge/xml/stream_error.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/unit/edge/xml/recording_handler.h"

namespace xmppfed::edge::xml {
namespace {

using StreamErrorElementTest = XmlTest;

constexpr std::string_view kConditionNs =
    "xmlns='urn:ietf:params:xml:ns:xmpp-streams'";

std::string ErrorElement(const std::string& children) {
  return "<stream:error>" + children + "</stream:error>";
}

TEST_F(StreamErrorElementTest, StreamErrorIsRecognisedAndOtherStanzasAreNot) {
  auto handler = ParseAll(
      ctx_,
      std::string(kServerHeader) +
          ErrorElement("<host-unknown " + std::string(kConditionNs) + "/>") +
          "<message to='a@local.example'/><error/>");
  ASSERT_EQ(handler->stanzas.size(), 3u);
  EXPECT_TRUE(IsStreamErrorElement(handler->stanzas[0]));
  EXPECT_FALSE(IsStreamErrorElement(handler->stanzas[1]));
  // "error" in the jabber:server namespace is not a stream error.
  EXPECT_FALSE(IsStreamErrorElement(handler->stanzas[2]));
}

TEST_F(StreamErrorElementTest, DescribesConditionAndText) {
  auto handler = ParseAll(
      ctx_, std::string(kServerHeader) +
                ErrorElement("<host-unknown " + std::string(kConditionNs) +
                             "/><text " + std::string(kConditionNs) +
                             ">no such host \"x\"</text>"));
  ASSERT_EQ(handler->stanzas.size(), 1u);
  EXPECT_EQ(DescribeStreamErrorElement(handler->stanzas[0]),
            "host-unknown (no such host 'x')");
}

TEST_F(StreamErrorElementTest, ConditionWithoutTextIsTheConditionAlone) {
  auto handler =
      ParseAll(ctx_, std::string(kServerHeader) +
                         ErrorElement("<text " + std::string(kConditionNs) +
                                      "/><policy-violation " +
                                      std::string(kConditionNs) + "/>"));
  ASSERT_EQ(handler->stanzas.size(), 1u);
  EXPECT_EQ(DescribeStreamErrorElement(handler->stanzas[0]),
            "policy-violation");
}

TEST_F(StreamErrorElementTest, MissingConditionReadsUndefinedCondition) {
  auto handler = ParseAll(ctx_, std::string(kServerHeader) +
                                    ErrorElement("<bogus xmlns='urn:x'/>"));
  ASSERT_EQ(handler->stanzas.size(), 1u);
  EXPECT_EQ(DescribeStreamErrorElement(handler->stanzas[0]),
            "undefined-condition");
}

TEST_F(StreamErrorElementTest, LongTextIsCutAtACharacterBoundary) {
  // 199 ASCII bytes, then two-byte characters: byte 200 falls inside one.
  std::string text(199, 'a');
  for (int i = 0; i < 20; ++i) text += "\xC3\xA9";
  auto handler =
      ParseAll(ctx_, std::string(kServerHeader) +
                         ErrorElement("<conflict " + std::string(kConditionNs) +
                                      "/><text " + std::string(kConditionNs) +
                                      ">" + text + "</text>"));
  ASSERT_EQ(handler->stanzas.size(), 1u);
  EXPECT_EQ(DescribeStreamErrorElement(handler->stanzas[0]),
            "conflict (" + std::string(199, 'a') + "...)");
}

}  // namespace
}  // namespace xmppfed::edge::xml
