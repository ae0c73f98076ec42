// XmlStream's flow-control primitives over a socketpair: output written in
// order as the peer accepts it, the watermark callbacks, and pausing and
// resuming reading.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <string>
#include <vector>

#include "agent/edge/stream/xml_stream.h"
#include "tests/unit/edge/stream/stream_harness.h"

namespace xmppfed::edge {
namespace {

using ::testing::ElementsAre;

class XmlStreamFlowTest : public StreamHarness {
 protected:
  // Makes the kernel hold little of the stream's output, so what the peer
  // does not read stays in the stream's buffer.
  void ShrinkSendBuffer() {
    int size = 4096;
    ASSERT_EQ(::setsockopt(fd_[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof size),
              0);
  }

  // Watermarks recording each callback with the output level it saw.
  void Watch(size_t high, size_t low) {
    OutputWatermarks marks;
    marks.high = high;
    marks.low = low;
    marks.on_above_high = [this] {
      calls_.push_back("high");
      levels_.push_back(stream_->output_bytes());
    };
    marks.on_below_low = [this] {
      calls_.push_back("low");
      levels_.push_back(stream_->output_bytes());
    };
    stream_->SetOutputWatermarks(std::move(marks));
  }

  // Reads at the peer until `bytes` arrived.
  bool PeerReceives(size_t bytes) {
    return PumpUntil([&] {
      PeerRead();
      return peer_received_.size() >= bytes;
    });
  }

  std::vector<std::string> calls_;
  std::vector<size_t> levels_;
};

TEST_F(XmlStreamFlowTest, OutputLeavesInOrderAndIsCounted) {
  StartStream();
  ShrinkSendBuffer();
  std::string sent;
  for (int i = 0; i < 500; ++i) sent += MessageOfSize(i, 700 + i % 300);
  // In pieces of every size, some spanning the buffer's chunks.
  for (size_t at = 0; at < sent.size(); at += 20000) {
    stream_->Send(std::string_view(sent).substr(at, 20000));
  }
  ASSERT_TRUE(PeerReceives(sent.size()));
  EXPECT_EQ(peer_received_, sent);
  EXPECT_EQ(stream_->counters().bytes_out, sent.size());
  EXPECT_EQ(stream_->output_bytes(), 0u);
}

TEST_F(XmlStreamFlowTest, CrossingHighCallsOnceAndDrainingToLowCallsOnce) {
  StartStream();
  ShrinkSendBuffer();
  Watch(64 * 1024, 16 * 1024);
  stream_->Send(std::string(60 * 1024, ' '));
  EXPECT_THAT(calls_, ElementsAre());
  stream_->Send(std::string(8 * 1024, ' '));
  // At once, from inside Send.
  EXPECT_THAT(calls_, ElementsAre("high"));
  EXPECT_TRUE(stream_->output_above_high());
  stream_->Send(std::string(100 * 1024, ' '));
  for (int i = 0; i < 20; ++i) Pump();  // the peer reads nothing
  EXPECT_THAT(calls_, ElementsAre("high"));
  EXPECT_GT(stream_->output_bytes(), 16u * 1024);

  ASSERT_TRUE(PeerReceives(168 * 1024));
  EXPECT_THAT(calls_, ElementsAre("high", "low"));
  EXPECT_LE(levels_[1], 16u * 1024);
  EXPECT_FALSE(stream_->output_above_high());
}

TEST_F(XmlStreamFlowTest, NewMarksBelowTheQueuedOutputCallAtOnce) {
  StartStream();
  ShrinkSendBuffer();
  Watch(64 * 1024, 16 * 1024);
  stream_->Send(std::string(50 * 1024, ' '));
  EXPECT_THAT(calls_, ElementsAre());
  Watch(32 * 1024, 8 * 1024);
  EXPECT_THAT(calls_, ElementsAre("high"));
  // Raising them again above the level ends the episode at once.
  Watch(1024 * 1024, 256 * 1024);
  EXPECT_THAT(calls_, ElementsAre("high", "low"));
}

TEST_F(XmlStreamFlowTest, ClosingDiscardsOutputAndCallsBelowLowFirst) {
  StartStream();
  ShrinkSendBuffer();
  Watch(16 * 1024, 4 * 1024);
  observer_.on_closed = [this] { calls_.push_back("closed"); };
  stream_->Send(std::string(64 * 1024, ' '));
  stream_->Abort("test over");
  EXPECT_THAT(calls_, ElementsAre("high", "low", "closed"));
  EXPECT_EQ(stream_->output_bytes(), 0u);
}

TEST_F(XmlStreamFlowTest, PausedStreamReadsNothingUntilResumed) {
  StartStream();
  PeerWrite(std::string(kPeerHeader) + MessageOfSize(1, 100));
  ASSERT_TRUE(PumpUntil([&] { return observer_.stanzas == 1; }));
  stream_->PauseReading();
  EXPECT_TRUE(stream_->reading_paused());
  PeerWrite(MessageOfSize(2, 100));
  for (int i = 0; i < 20; ++i) Pump();
  EXPECT_EQ(observer_.stanzas, 1);
  EXPECT_EQ(UnreadAtStream(), 100);  // left in the socket

  stream_->ResumeReading();
  ASSERT_TRUE(PumpUntil([&] { return observer_.stanzas == 2; }));
  EXPECT_THAT(observer_.events, ElementsAre("open", "stanza 1", "stanza 2"));
}

TEST_F(XmlStreamFlowTest, PausesNestUntilEachIsResumed) {
  StartStream();
  PeerWrite(kPeerHeader);
  ASSERT_TRUE(PumpUntil([&] { return !observer_.events.empty(); }));
  stream_->PauseReading();
  stream_->PauseReading();
  PeerWrite(MessageOfSize(1, 100));
  stream_->ResumeReading();
  for (int i = 0; i < 20; ++i) Pump();
  EXPECT_EQ(observer_.stanzas, 0);
  EXPECT_TRUE(stream_->reading_paused());
  stream_->ResumeReading();
  EXPECT_TRUE(PumpUntil([&] { return observer_.stanzas == 1; }));
  // One resume too many is ignored, not counted ahead.
  stream_->ResumeReading();
  stream_->PauseReading();
  EXPECT_TRUE(stream_->reading_paused());
}

TEST_F(XmlStreamFlowTest, PauseFromInsideOnStanzaStopsTheNextRead) {
  StartStream();
  observer_.on_stanza = [this](xmpp_stanza_t*) {
    if (observer_.stanzas == 1) stream_->PauseReading();
  };
  PeerWrite(std::string(kPeerHeader) + MessageOfSize(1, 100));
  ASSERT_TRUE(PumpUntil([&] { return observer_.stanzas == 1; }));
  PeerWrite(MessageOfSize(2, 100));
  for (int i = 0; i < 20; ++i) Pump();
  EXPECT_EQ(observer_.stanzas, 1);
  stream_->ResumeReading();
  EXPECT_TRUE(PumpUntil([&] { return observer_.stanzas == 2; }));
}

TEST_F(XmlStreamFlowTest, PeerHangingUpWhilePausedStillEndsTheStream) {
  StartStream();
  PeerWrite(kPeerHeader);
  ASSERT_TRUE(PumpUntil([&] { return !observer_.events.empty(); }));
  stream_->PauseReading();
  ::shutdown(fd_[1], SHUT_RDWR);
  EXPECT_TRUE(PumpUntil([&] { return observer_.closed; }));
}

}  // namespace
}  // namespace xmppfed::edge
