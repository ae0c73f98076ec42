// Stream control: Suspend() for STARTTLS, Reset() for stream restarts, and
// calls the parser refuses.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "agent/edge/xml/stream_parser.h"
#include "tests/unit/edge/xml/recording_handler.h"

namespace xmppfed::edge::xml {
namespace {

using ::testing::ElementsAre;

constexpr std::string_view kStarttls =
    "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";
// What an attacker injects after <starttls/> in the same TCP segment, hoping
// it is processed as if it had come over TLS.
constexpr std::string_view kInjected =
    "<db:result from='evil.example' to='local.example'>key</db:result>";

std::string Header() { return std::string(kServerHeader); }

using StreamControlTest = XmlTest;

TEST_F(StreamControlTest, SuspendInStanzaCallbackConsumesUpToItsEndTag) {
  RecordingHandler handler;
  StreamParser parser(ctx_, {}, &handler);
  handler.on_stanza = [&](xmpp_stanza_t*) { parser.Suspend(); };
  std::string input =
      Header() + std::string(kStarttls) + std::string(kInjected);
  size_t consumed = parser.Feed(input);
  EXPECT_EQ(consumed, kServerHeader.size() + kStarttls.size());
  EXPECT_EQ(handler.stanzas.size(), 1u);  // the injected element never parsed
  EXPECT_FALSE(parser.failed());
}

TEST_F(StreamControlTest, SuspendCountIsRelativeToTheCurrentFeed) {
  RecordingHandler handler;
  StreamParser parser(ctx_, {}, &handler);
  parser.Feed(Header() + "<presence/>  ");
  handler.on_stanza = [&](xmpp_stanza_t*) { parser.Suspend(); };
  std::string rest =
      "  <starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'></starttls>";
  EXPECT_EQ(parser.Feed(rest + "<presence/>"), rest.size());
  EXPECT_EQ(handler.stanzas.size(), 2u);
}

TEST_F(StreamControlTest, SuspendedParserParsesNothingUntilReset) {
  RecordingHandler handler;
  StreamParser parser(ctx_, {}, &handler);
  parser.Feed(Header());
  parser.Suspend();
  EXPECT_EQ(parser.Feed("<presence/>"), 0u);
  EXPECT_TRUE(handler.stanzas.empty());
}

TEST_F(StreamControlTest, SuspendInOpenCallbackStopsAfterTheHeader) {
  RecordingHandler handler;
  StreamParser parser(ctx_, {}, &handler);
  handler.on_open = [&] { parser.Suspend(); };
  EXPECT_EQ(parser.Feed(Header() + "<presence/>"), kServerHeader.size());
  EXPECT_THAT(handler.events, ElementsAre("open"));
}

TEST_F(StreamControlTest, ResetThenANewHeaderStartsAFreshStream) {
  RecordingHandler handler;
  StreamParser parser(ctx_, {}, &handler);
  handler.on_stanza = [&](xmpp_stanza_t*) { parser.Suspend(); };
  parser.Feed(Header() + std::string(kStarttls) + "<message>unfinished");
  handler.on_stanza = nullptr;
  parser.Reset();
  // After TLS: a new header, this time with an XML declaration again.
  std::string second =
      "<?xml version='1.0'?><stream:stream xmlns='jabber:server' "
      "xmlns:stream='http://etherx.jabber.org/streams' from='second.example' "
      "version='1.0'><presence/>";
  EXPECT_EQ(parser.Feed(second), second.size());
  EXPECT_THAT(handler.events,
              ElementsAre("open",
                          "stanza <starttls "
                          "xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>",
                          "open", "stanza <presence/>"));
  EXPECT_EQ(handler.headers[1].from, "second.example");
  EXPECT_TRUE(handler.headers[1].prefixes.empty());
}

TEST_F(StreamControlTest, ResetClearsAFailure) {
  RecordingHandler handler;
  StreamParser parser(ctx_, {}, &handler);
  parser.Feed(Header() + "<<");
  ASSERT_TRUE(parser.failed());
  parser.Reset();
  EXPECT_FALSE(parser.failed());
  parser.Feed(Header());
  EXPECT_THAT(handler.events,
              ElementsAre("open", "error not-well-formed", "open"));
}

TEST_F(StreamControlTest, ResetFromCallbackLetsTheCallerFeedTheRest) {
  RecordingHandler handler;
  StreamParser parser(ctx_, {}, &handler);
  // As after SASL <success/>: the restart is decided in the callback.
  handler.on_stanza = [&](xmpp_stanza_t*) { parser.Reset(); };
  std::string first =
      Header() + "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>";
  std::string input = first + Header();
  size_t consumed = parser.Feed(input);
  EXPECT_EQ(consumed, first.size());
  handler.on_stanza = nullptr;
  EXPECT_EQ(parser.Feed(std::string_view(input).substr(consumed)),
            kServerHeader.size());
  EXPECT_THAT(handler.events,
              ElementsAre("open",
                          "stanza <success "
                          "xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>",
                          "open"));
}

TEST_F(StreamControlTest, ResetAfterStreamCloseAcceptsANewStream) {
  RecordingHandler handler;
  StreamParser parser(ctx_, {}, &handler);
  parser.Feed(Header() + "</stream:stream>");
  parser.Reset();
  parser.Feed(Header());
  EXPECT_THAT(handler.events, ElementsAre("open", "close", "open"));
}

TEST_F(StreamControlTest, FeedFromACallbackIsRefused) {
  RecordingHandler handler;
  StreamParser parser(ctx_, {}, &handler);
  size_t nested = 99;
  handler.on_stanza = [&](xmpp_stanza_t*) { nested = parser.Feed("<a/>"); };
  parser.Feed(Header() + "<presence/><presence/>");
  EXPECT_EQ(nested, 0u);
  EXPECT_EQ(handler.stanzas.size(), 2u);
  EXPECT_FALSE(parser.failed());
}

TEST_F(StreamControlTest, StanzaHandedToCallbackCanBeKeptByCloning) {
  RecordingHandler handler;
  xmpp_stanza_t* kept = nullptr;
  {
    StreamParser parser(ctx_, {}, &handler);
    handler.on_stanza = [&](xmpp_stanza_t* stanza) {
      kept = xmpp_stanza_clone(stanza);
    };
    parser.Feed(Header() + "<message id='k'><body>kept</body></message>");
  }
  ASSERT_NE(kept, nullptr);
  EXPECT_STREQ(xmpp_stanza_get_id(kept), "k");
  xmpp_stanza_release(kept);
}

TEST_F(StreamControlTest, DestroyingAParserMidStanzaLeavesNothing) {
  RecordingHandler handler;
  {
    StreamParser parser(ctx_, {}, &handler);
    parser.Feed(Header() + "<message><body>half<x xmlns='urn:x' a='1'>");
    // Held as its record: no tree until the closing tag.
    EXPECT_GT(parser.partial_stanza_bytes(), 0u);
    EXPECT_EQ(LiveStanzaBlocks(), 0);
  }
  EXPECT_TRUE(handler.stanzas.empty());
  EXPECT_EQ(LiveStanzaBlocks(), 0);
}

TEST_F(StreamControlTest, ResetAndFailureMidStanzaForgetThePartialStanza) {
  RecordingHandler handler;
  StreamParser parser(ctx_, {}, &handler);
  parser.Feed(Header() + "<message><body>half<x xmlns='urn:x' a='1'>");
  parser.Reset();
  EXPECT_EQ(parser.partial_stanza_bytes(), 0u);
  EXPECT_EQ(LiveStanzaBlocks(), 0);
  parser.Feed(Header() + "<message><body>half<x xmlns='urn:x' a='1'><<");
  EXPECT_TRUE(parser.failed());
  EXPECT_EQ(LiveStanzaBlocks(), 0);
}

TEST_F(StreamControlTest, DeliveredStanzasAreReleasedAfterTheCallback) {
  RecordingHandler counting;
  StreamParser counted(ctx_, {}, &counting);
  // Drop the handler's own clones at once: only the parser's copy counts.
  counting.on_stanza = [&](xmpp_stanza_t*) {
    for (xmpp_stanza_t* clone : counting.stanzas) xmpp_stanza_release(clone);
    counting.stanzas.clear();
  };
  counted.Feed(Header() + "<message><body>a</body></message><presence/>");
  EXPECT_EQ(counting.events.size(), 3u);
  EXPECT_EQ(LiveStanzaBlocks(), 0);
}

}  // namespace
}  // namespace xmppfed::edge::xml
