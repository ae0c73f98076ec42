// XmlStream over TLS on a socketpair: STARTTLS as the server side, data both
// ways, and resuming a paused stream whose next bytes TLS already holds
// (no readiness event announces them).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "agent/edge/stream/xml_stream.h"
#include "agent/edge/tls/tls_channel.h"
#include "tests/unit/edge/stream/stream_harness.h"

namespace xmppfed::edge {
namespace {

class XmlStreamTlsTest : public StreamHarness {
 protected:
  // Opens the stream, starts TLS as its server and handshakes the peer;
  // then the peer opens its stream again over TLS.
  void StartTlsStream() {
    StartStream();
    PeerWrite(kPeerHeader);
    ASSERT_TRUE(PumpUntil([&] { return observer_.events.size() == 1; }));
    stream_->StartTls([](int fd) {
      return tls::TlsChannel::Server(TlsPeer::ServerContext(), fd);
    });
    peer_ = std::make_unique<TlsPeer>(fd_[1]);
    int peer_done = 0;
    ASSERT_TRUE(PumpUntil([&] {
      if (peer_done == 0) peer_done = peer_->Handshake();
      return peer_done != 0 && stream_->tls() != nullptr;
    }));
    ASSERT_EQ(peer_done, 1);
    PeerTlsWrite(kPeerHeader);
    ASSERT_TRUE(PumpUntil([&] { return observer_.events.size() == 3; }));
    ASSERT_THAT(observer_.events,
                ::testing::ElementsAre("open", "tls", "open"));
  }

  void PeerTlsWrite(std::string_view bytes) {
    peer_->Write(bytes, [this] { Pump(); });
  }

  std::unique_ptr<TlsPeer> peer_;
};

TEST_F(XmlStreamTlsTest, StanzasAndOutputCrossTls) {
  StartTlsStream();
  PeerTlsWrite(MessageOfSize(1, 200) + MessageOfSize(2, 300));
  ASSERT_TRUE(PumpUntil([&] { return observer_.stanzas == 2; }));

  std::string sent;
  for (int i = 0; i < 300; ++i) sent += MessageOfSize(i, 1000);
  stream_->Send(sent);
  std::string received;
  ASSERT_TRUE(PumpUntil([&] {
    peer_->Read(&received);
    return received.size() >= sent.size();
  }));
  EXPECT_EQ(received, sent);
  EXPECT_EQ(stream_->output_bytes(), 0u);
}

TEST_F(XmlStreamTlsTest, ResumingReadsWhatTlsAlreadyHolds) {
  StartTlsStream();
  observer_.on_stanza = [this](xmpp_stanza_t*) {
    if (observer_.stanzas == 1) stream_->PauseReading();
  };
  // Two writes of 1,000 and 65,536 bytes: records of 1,000 and 4 x 16,384.
  // A read takes 64 KiB, so it ends 1,000 bytes into the last record: those
  // bytes wait decrypted inside TLS while the socket is empty.
  std::string first, second;
  for (int i = 1; i <= 10; ++i) first += MessageOfSize(i, 100);
  for (int i = 11; first.size() + second.size() + 100 <= 66536; ++i) {
    second += MessageOfSize(i, 100);
  }
  second += std::string(66536 - first.size() - second.size(), ' ');
  int total = static_cast<int>((first.size() + second.size()) / 100);
  PeerTlsWrite(first);
  PeerTlsWrite(second);
  for (int i = 0; i < 50; ++i) Pump();
  EXPECT_EQ(UnreadAtStream(), 0);
  EXPECT_GT(observer_.stanzas, 1);  // the rest of the read is delivered
  EXPECT_LT(observer_.stanzas, total);

  observer_.on_stanza = nullptr;
  stream_->ResumeReading();
  EXPECT_TRUE(PumpUntil([&] { return observer_.stanzas == total; }));
}

}  // namespace
}  // namespace xmppfed::edge
