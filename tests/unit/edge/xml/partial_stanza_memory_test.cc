// What a stanza that never completes costs (issue 11: held partial
// stanzas): it is held as a compact record of about its own size, no
// libstrophe tree exists until its closing tag, it is refused at its byte
// limit, and everything is given back when the stream fails or the
// connection goes.
#include <gtest/gtest.h>

#include <iostream>
#include <string>

#include "agent/edge/xml/stream_parser.h"
#include "tests/unit/edge/xml/recording_handler.h"

namespace xmppfed::edge::xml {
namespace {

using PartialStanzaMemoryTest = XmlTest;

TEST_F(PartialStanzaMemoryTest, HeldStanzaCostsAboutItsOwnSize) {
  StreamLimits limits;
  limits.max_stanza_bytes = 32768;
  long before = memory_.live_bytes();
  RecordingHandler handler;
  StreamParser parser(ctx_, limits, &handler);
  parser.Feed(kServerHeader);
  parser.Feed("<message>");
  // The worst shape for a tree: empty children, 4 bytes each.
  size_t fed = 9;
  for (int i = 0; i < 7000; ++i, fed += 4) parser.Feed("<a/>");
  ASSERT_FALSE(parser.failed());
  std::cout << "bytes held for a " << fed
            << "-byte partial stanza: " << parser.partial_stanza_bytes()
            << "; libstrophe: " << memory_.live_bytes() - before << "\n";
  // A growing buffer's slack at most (it doubles), no tree.
  EXPECT_LE(parser.partial_stanza_bytes(), 2 * fed + 1024);
  EXPECT_EQ(LiveStanzaBlocks(), 0);
}

TEST_F(PartialStanzaMemoryTest, OversizeStanzaIsRefusedWithoutBeingBuilt) {
  StreamLimits limits;
  limits.max_stanza_bytes = 32768;
  long before = memory_.live_bytes();
  long peak_before = memory_.peak_bytes();
  RecordingHandler handler;
  {
    StreamParser parser(ctx_, limits, &handler);
    parser.Feed(kServerHeader);
    parser.Feed("<message>");
    // 64 KiB of children in small reads, never closed: refused at 32 KiB.
    for (int i = 0; i < 16384 && !parser.failed(); ++i) parser.Feed("<a/>");
    EXPECT_EQ(handler.error, StreamError::kPolicyViolation);
    EXPECT_EQ(memory_.peak_bytes(), peak_before)
        << "no tree was built for the refused stanza";
  }
  EXPECT_EQ(memory_.live_bytes(), before);
  EXPECT_EQ(LiveStanzaBlocks(), 0);
}

TEST_F(PartialStanzaMemoryTest, CompleteStanzaIsBuiltOnceItsClosingTagIsIn) {
  RecordingHandler handler;
  StreamParser parser(ctx_, StreamLimits{}, &handler);
  parser.Feed(kServerHeader);
  parser.Feed("<message to='a@b.example'><body>hel");
  EXPECT_EQ(LiveStanzaBlocks(), 0);
  parser.Feed("lo</body>");
  EXPECT_EQ(LiveStanzaBlocks(), 0);
  parser.Feed("</message>");
  ASSERT_EQ(handler.stanzas.size(), 1u);
  xmpp_stanza_t* body =
      xmpp_stanza_get_child_by_name(handler.stanzas[0], "body");
  ASSERT_NE(body, nullptr);
  char* text = xmpp_stanza_get_text(body);
  ASSERT_NE(text, nullptr);
  EXPECT_STREQ(text, "hello");
  xmpp_free(ctx_, text);
}

TEST_F(PartialStanzaMemoryTest, ClosingMidStanzaGivesEveryBlockBack) {
  long before = memory_.live_bytes();
  RecordingHandler handler;
  {
    StreamParser parser(ctx_, StreamLimits{}, &handler);
    parser.Feed(kServerHeader);
    parser.Feed("<message><body>");
    for (int i = 0; i < 5000; ++i) parser.Feed("<b x='1'>text</b>");
    EXPECT_FALSE(handler.error.has_value());
    EXPECT_GT(parser.partial_stanza_bytes(), 5000u * 17);
    // The connection closes here: the parser goes with its partial stanza.
  }
  EXPECT_EQ(memory_.live_bytes(), before);
  EXPECT_EQ(LiveStanzaBlocks(), 0);
}

}  // namespace
}  // namespace xmppfed::edge::xml
