// Test support for XmlStream: one stream over a non-blocking socketpair on
// an event loop whose clock the test drives, an observer recording what the
// stream reports, and the peer's end of the socketpair (plain or TLS) in the
// test's hands. Everything runs on the test's thread: the test pumps the
// loop (RunOnce with no wait) and plays the peer in turn.
#ifndef XMPPFED_TESTS_UNIT_EDGE_STREAM_STREAM_HARNESS_H_
#define XMPPFED_TESTS_UNIT_EDGE_STREAM_STREAM_HARNESS_H_

#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <strophe.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agent/edge/net/clock.h"
#include "agent/edge/net/event_loop.h"
#include "agent/edge/stream/xml_stream.h"

namespace xmppfed::edge {

// A server-to-server stream header, as a peer opens its stream.
inline constexpr std::string_view kPeerHeader =
    "<stream:stream xmlns='jabber:server' "
    "xmlns:stream='http://etherx.jabber.org/streams' from='remote.example' "
    "to='local.example' version='1.0'>";

// "<message id='ID'>" + a body padded so the stanza is exactly `bytes` long
// (at least 40).
std::string MessageOfSize(int id, size_t bytes);

class RecordingObserver : public XmlStreamObserver {
 public:
  void OnStreamOpen(const xml::StreamHeader& header) override;
  void OnStanza(xmpp_stanza_t* stanza) override;
  void OnStreamEnd() override;
  void OnTlsEstablished() override;
  void OnClosed(const std::string& reason) override;

  // "open", "stanza <id>", "end", "tls", "closed <reason>", in order.
  std::vector<std::string> events;
  int stanzas = 0;
  bool closed = false;
  std::string closed_reason;
  // Run inside OnStanza, after recording.
  std::function<void(xmpp_stanza_t*)> on_stanza;
  std::function<void()> on_closed;
};

class StreamHarness : public ::testing::Test {
 protected:
  StreamHarness();
  ~StreamHarness() override;

  // Makes the stream over fd[0] and starts it.
  void StartStream(xml::StreamLimits limits = {});
  // One round of the loop without waiting (nothing here sleeps).
  void Pump() { loop_->RunOnce(absl::ZeroDuration()); }
  // Pumps (and reads at the peer) until `done` or `rounds` rounds passed.
  bool PumpUntil(const std::function<bool()>& done, int rounds = 2000);
  // Advances the clock and runs what is due.
  void Advance(absl::Duration by);

  // Plain peer: writes all of `bytes` (pumping while the socket is full).
  void PeerWrite(std::string_view bytes);
  // Plain peer: appends what can be read now to peer_received_; false once
  // the stream's side closed the connection.
  bool PeerRead();
  // Bytes queued in the kernel for the stream's end to read.
  int UnreadAtStream() const;

  net::ManualClock clock_;
  std::unique_ptr<net::EventLoop> loop_;
  xmpp_ctx_t* ctx_ = nullptr;
  int fd_[2] = {-1, -1};
  RecordingObserver observer_;
  std::unique_ptr<XmlStream> stream_;
  std::string peer_received_;
  bool peer_eof_ = false;
};

// The TLS client at the peer's end, for streams that start TLS as a server.
// Certificates are made once per test binary.
class TlsPeer {
 public:
  // Server context for the stream (serving "local.example") and a client
  // context for the peer that trusts it.
  static SSL_CTX* ServerContext();
  static SSL_CTX* ClientContext();

  explicit TlsPeer(int fd);
  ~TlsPeer();
  // One handshake step: 1 done, 0 wants more, -1 failed.
  int Handshake();
  // Writes all of `bytes` in one SSL_write call per 64 KiB (so record
  // boundaries are known), pumping `harness_pump` while it waits.
  void Write(std::string_view bytes, const std::function<void()>& pump);
  // Appends what can be read now; false once the peer's side is closed.
  bool Read(std::string* out);
  SSL* ssl() const { return ssl_; }

 private:
  SSL* ssl_;
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_TESTS_UNIT_EDGE_STREAM_STREAM_HARNESS_H_
