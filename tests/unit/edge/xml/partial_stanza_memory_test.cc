// What a stanza that never completes costs (issue 11: held partial
// stanzas): the tree libstrophe holds for it grows only until the stanza's
// byte limit refuses it, stays within a fixed multiple of that limit, and
// is given back entirely when the stream fails or the connection goes.
#include <gtest/gtest.h>

#include <iostream>
#include <string>

#include "agent/edge/xml/stream_parser.h"
#include "tests/unit/edge/xml/recording_handler.h"

namespace xmppfed::edge::xml {
namespace {

using PartialStanzaMemoryTest = XmlTest;

// libstrophe bytes per input byte for the worst shape, a stanza of empty
// <a/> children (4 bytes each: an element, its name and links, about 100
// bytes of malloc'd blocks). Measured 23 with glibc; the bound leaves room for
// allocator differences.
constexpr long kWorstBytesPerInputByte = 40;

TEST_F(PartialStanzaMemoryTest, HeldTreeIsBoundedByTheStanzaLimit) {
  StreamLimits limits;
  limits.max_stanza_bytes = 32768;
  long before = memory_.live_bytes();
  RecordingHandler handler;
  {
    StreamParser parser(ctx_, limits, &handler);
    parser.Feed(kServerHeader);
    parser.Feed("<message>");
    // 64 KiB of children in small reads, never closed: refused at 32 KiB.
    for (int i = 0; i < 16384 && !parser.failed(); ++i) parser.Feed("<a/>");
    EXPECT_EQ(handler.error, StreamError::kPolicyViolation);
    long peak = memory_.peak_bytes() - before;
    std::cout << "peak libstrophe bytes for a 32 KiB partial stanza: " << peak
              << " (" << peak / limits.max_stanza_bytes << " per byte)\n";
    EXPECT_LE(peak, kWorstBytesPerInputByte *
                        static_cast<long>(limits.max_stanza_bytes));
  }
  // The failed stream's tree, and the parser, are gone.
  EXPECT_EQ(memory_.live_bytes(), before);
  EXPECT_EQ(LiveStanzaBlocks(), 0);
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
    EXPECT_GT(memory_.live_bytes(), before);
    // The connection closes here: the parser goes with its partial tree.
  }
  EXPECT_EQ(memory_.live_bytes(), before);
  EXPECT_EQ(LiveStanzaBlocks(), 0);
}

}  // namespace
}  // namespace xmppfed::edge::xml
