// XmlStream's timeouts on a driven clock: a silent peer, a peer that stops
// reading, and the whitespace keep-alive. Minutes pass in no real time.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <string>

#include "agent/edge/stream/xml_stream.h"
#include "tests/unit/edge/stream/stream_harness.h"

namespace xmppfed::edge {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kTimeoutError =
    "<stream:error><connection-timeout "
    "xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>";

class XmlStreamTimeoutTest : public StreamHarness {
 protected:
  void SetUp() override {
    StartStream();
    PeerWrite(kPeerHeader);
    ASSERT_TRUE(PumpUntil([&] { return observer_.events.size() == 1; }));
  }

  // What the stream sent since the last call.
  std::string PeerGets() {
    Pump();
    PeerRead();
    std::string got = peer_received_;
    peer_received_.clear();
    return got;
  }
};

TEST_F(XmlStreamTimeoutTest, SilentPeerIsClosedAfterInputIdle) {
  stream_->SetTimeouts({.input_idle = absl::Minutes(10)});
  Advance(absl::Seconds(599));
  EXPECT_EQ(PeerGets(), "");
  PeerWrite(" ");  // a keep-alive of the peer's counts as input
  Pump();
  Advance(absl::Seconds(599));
  EXPECT_EQ(PeerGets(), "");
  Advance(absl::Seconds(2));
  std::string sent = PeerGets();
  EXPECT_THAT(sent, HasSubstr(kTimeoutError));
  EXPECT_THAT(sent, HasSubstr("no data for 10m"));
  EXPECT_THAT(sent, HasSubstr("</stream:stream>"));
  EXPECT_TRUE(PumpUntil([&] { return observer_.closed; }));
}

TEST_F(XmlStreamTimeoutTest, SentStanzasKeepABidirectionalStreamInUse) {
  stream_->SetTimeouts({.input_idle = absl::Minutes(10),
                        .sent_stanzas_are_activity = true,
                        .keep_alive = absl::Minutes(4)});
  xmpp_stanza_t* message = xmpp_stanza_new_from_string(
      ctx_, "<message to='a@b'><body>x</body></message>");
  // The peer says nothing for 30 minutes while we send a stanza every 9.
  for (int i = 0; i < 3; ++i) {
    Advance(absl::Minutes(9));
    stream_->SendStanza(message);
    EXPECT_THAT(PeerGets(), HasSubstr("<message"));
  }
  Advance(absl::Minutes(3));
  EXPECT_FALSE(observer_.closed);
  // Keep-alives are not activity: 10 minutes without a stanza either way
  // close it, though spaces went out every 4.
  Advance(absl::Minutes(4));
  EXPECT_EQ(PeerGets(), " ");
  Advance(absl::Minutes(3));
  std::string sent = PeerGets();
  EXPECT_THAT(sent, HasSubstr(kTimeoutError));
  EXPECT_THAT(sent, HasSubstr("no stanza either way and no data for 10m"));
  xmpp_stanza_release(message);
}

TEST_F(XmlStreamTimeoutTest, SentStanzasAreNotActivityByDefault) {
  stream_->SetTimeouts({.input_idle = absl::Minutes(10)});
  xmpp_stanza_t* message =
      xmpp_stanza_new_from_string(ctx_, "<message to='a@b'/>");
  Advance(absl::Minutes(9));
  stream_->SendStanza(message);
  EXPECT_THAT(PeerGets(), HasSubstr("<message"));
  Advance(absl::Minutes(1));
  EXPECT_THAT(PeerGets(), HasSubstr(kTimeoutError));
  xmpp_stanza_release(message);
}

TEST_F(XmlStreamTimeoutTest, TimePausedByFlowControlIsNotSilence) {
  stream_->SetTimeouts({.input_idle = absl::Seconds(60)});
  stream_->PauseReading();
  Advance(absl::Minutes(30));
  EXPECT_EQ(PeerGets(), "");
  EXPECT_FALSE(observer_.closed);
  stream_->ResumeReading();
  Advance(absl::Seconds(59));
  EXPECT_EQ(PeerGets(), "");
  Advance(absl::Seconds(1));
  EXPECT_THAT(PeerGets(), HasSubstr(kTimeoutError));
}

TEST_F(XmlStreamTimeoutTest, PeerThatStopsReadingIsClosed) {
  int size = 4096;
  ASSERT_EQ(::setsockopt(fd_[0], SOL_SOCKET, SO_SNDBUF, &size, sizeof size), 0);
  stream_->SetTimeouts({.output_stalled = absl::Minutes(10)});
  stream_->Send(std::string(512 * 1024, ' '));
  Pump();
  Advance(absl::Minutes(5));
  // Taking some output is progress: the stall counts from the last write.
  ASSERT_TRUE(PeerRead());
  ASSERT_FALSE(peer_received_.empty());
  Pump();
  Advance(absl::Minutes(9));
  Advance(absl::Seconds(3));  // past the grace of a close begun too early
  EXPECT_FALSE(observer_.closed);
  EXPECT_GT(stream_->output_bytes(), 0u);
  Advance(absl::Minutes(1));
  // The stream error cannot reach a peer that reads nothing; the stream
  // goes after the closing grace.
  Advance(absl::Seconds(3));
  EXPECT_TRUE(observer_.closed);
  EXPECT_THAT(observer_.closed_reason,
              HasSubstr("connection-timeout: the peer accepted no data for "
                        "10m"));
}

TEST_F(XmlStreamTimeoutTest, ReadingPeerWithQueuedOutputIsNotStalled) {
  stream_->SetTimeouts({.output_stalled = absl::Seconds(30)});
  for (int minute = 0; minute < 10; ++minute) {
    stream_->Send(MessageOfSize(minute, 100));
    Advance(absl::Seconds(20));
    PeerRead();
    Advance(absl::Seconds(20));
  }
  EXPECT_FALSE(observer_.closed);
  EXPECT_EQ(peer_received_.size(), 1000u);
}

TEST_F(XmlStreamTimeoutTest, KeepAliveSendsOneSpaceAfterSilence) {
  stream_->SetTimeouts({.keep_alive = absl::Minutes(5)});
  Advance(absl::Seconds(299));
  EXPECT_EQ(PeerGets(), "");
  Advance(absl::Seconds(1));
  EXPECT_EQ(PeerGets(), " ");
  // Sending anything restarts the interval.
  Advance(absl::Minutes(2));
  stream_->Send("<presence/>");
  EXPECT_EQ(PeerGets(), "<presence/>");
  Advance(absl::Seconds(299));
  EXPECT_EQ(PeerGets(), "");
  Advance(absl::Seconds(1));
  EXPECT_EQ(PeerGets(), " ");
  Advance(absl::Minutes(5));
  EXPECT_EQ(PeerGets(), " ");
  EXPECT_FALSE(observer_.closed);
}

TEST_F(XmlStreamTimeoutTest, WithoutTimeoutsNothingHappensForADay) {
  Advance(absl::Hours(24));
  EXPECT_EQ(PeerGets(), "");
  EXPECT_FALSE(observer_.closed);
  // Zero disables a timeout set before.
  stream_->SetTimeouts({.keep_alive = absl::Minutes(1)});
  stream_->SetTimeouts({});
  Advance(absl::Hours(1));
  EXPECT_EQ(PeerGets(), "");
}

}  // namespace
}  // namespace xmppfed::edge
