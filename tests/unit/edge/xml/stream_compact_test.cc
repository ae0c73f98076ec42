// Compact(): between stanzas the parser frees expat, and what follows parses
// exactly as it would have without: namespaces of the stream's start tag
// (whatever prefixes it used), limits, the counts Feed returns, error
// positions.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "agent/edge/xml/stream_parser.h"
#include "tests/unit/edge/xml/recording_handler.h"

namespace xmppfed::edge::xml {
namespace {

using ::testing::ElementsAre;

using StreamCompactTest = XmlTest;

// Feeds each part, compacting after every one; returns the recorder.
std::unique_ptr<RecordingHandler> FeedCompacting(
    xmpp_ctx_t* ctx, const std::vector<std::string>& parts,
    StreamLimits limits = {}) {
  auto handler = std::make_unique<RecordingHandler>();
  StreamParser parser(ctx, limits, handler.get());
  for (const std::string& part : parts) {
    parser.Feed(part);
    parser.Compact();
  }
  return handler;
}

TEST_F(StreamCompactTest, PrefixesOfTheStreamTagStillApply) {
  // The streams namespace on an unusual prefix, dialback on "db".
  std::string header =
      "<s:stream xmlns='jabber:server' xmlns:s='http://etherx.jabber.org/"
      "streams' xmlns:db='jabber:server:dialback' to='a.example'>";
  auto handler = FeedCompacting(
      ctx_, {header, "<s:features/>", "<db:result to='a.example'>k</db:result>",
             "<message to='x@a.example'><body>hi</body></message>"});
  EXPECT_THAT(
      handler->events,
      ElementsAre(
          "open", "stanza <features xmlns='http://etherx.jabber.org/streams'/>",
          "stanza <result xmlns='jabber:server:dialback' "
          "to='a.example'>k</result>",
          "stanza <message to='x@a.example'><body>hi</body></message>"));
  EXPECT_EQ(handler->headers.size(), 1u);  // the replayed tag is not reported
}

TEST_F(StreamCompactTest, MidStanzaCompactIsANoOp) {
  auto handler =
      FeedCompacting(ctx_, {std::string(kServerHeader), "<message><body>par",
                            "tial</body>", "</message>  ", "<presence/>"});
  EXPECT_THAT(
      handler->events,
      ElementsAre("open", "stanza <message><body>partial</body></message>",
                  "stanza <presence/>"));
}

TEST_F(StreamCompactTest, StanzaLimitCountsOnlyTheStreamsBytes) {
  StreamLimits limits;
  limits.max_stanza_bytes = 100;
  std::string exact =
      "<message><body>" + std::string(100 - 32, 'x') + "</body></message>";
  ASSERT_EQ(exact.size(), 100u);
  std::string over =
      "<message><body>" + std::string(100 - 31, 'x') + "</body></message>";
  auto handler =
      FeedCompacting(ctx_, {std::string(kServerHeader), exact, over}, limits);
  EXPECT_EQ(handler->stanzas.size(), 1u);
  EXPECT_EQ(handler->events.back(), "error policy-violation");
}

TEST_F(StreamCompactTest, SuspendCountAfterCompactIsRelativeToTheFeed) {
  RecordingHandler handler;
  StreamParser parser(ctx_, {}, &handler);
  parser.Feed(std::string(kServerHeader) + "<presence/>");
  parser.Compact();
  handler.on_stanza = [&](xmpp_stanza_t*) { parser.Suspend(); };
  EXPECT_EQ(parser.Feed("  <iq type='get' id='1'/><message/>"), 25u);
  EXPECT_EQ(handler.stanzas.size(), 2u);
}

TEST_F(StreamCompactTest, ErrorsAfterCompactStillNameTheStreamsPosition) {
  auto handler =
      FeedCompacting(ctx_, {std::string(kServerHeader) + "\n<presence/>",
                            "\n  <iq/>", "<message>\n <body>x</bod>"});
  EXPECT_EQ(handler->error_detail, "mismatched tag at line 4, column 11");
  auto same_line = FeedCompacting(
      ctx_, {std::string(kServerHeader), "<presence/>", "<x:y/>"});
  EXPECT_EQ(same_line->events.back(), "error bad-namespace-prefix");
  EXPECT_EQ(same_line->error_detail,
            "unbound prefix at line 1, column " +
                std::to_string(kServerHeader.size() + 11 + 1));
}

TEST_F(StreamCompactTest, RestrictedXmlIsStillRefused) {
  auto handler = FeedCompacting(
      ctx_, {std::string(kServerHeader), "<presence/>", "<!-- hi -->"});
  EXPECT_EQ(handler->events.back(), "error restricted-xml");
}

TEST_F(StreamCompactTest, StanzasAreReleasedAcrossCompactions) {
  FeedCompacting(ctx_, {std::string(kServerHeader), "<message><body>partial",
                        "</body></message>", "<presence><status>x"});
  EXPECT_EQ(LiveStanzaBlocks(), 0);
}

}  // namespace
}  // namespace xmppfed::edge::xml
