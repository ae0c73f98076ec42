// One XML stream over one TCP connection, in either direction: the layer
// between the socket and a session (s2s or component). It reads (through
// TLS once started), feeds the stream parser, hands stream events to its
// observer, buffers what the session sends, and counts stanzas and bytes
// each way. Everything runs on the event loop's thread.
//
// Output flow control: what the session sends is queued in an OutputBuffer
// and written as the peer accepts it. Each stream has a high and a low
// watermark (OutputWatermarks, values from the session); when its queued
// output grows above the high mark the stream calls on_above_high, and once
// it is down to the low mark again on_below_low, so the session can pause
// the streams feeding this one (PauseReading) and resume them.
//
// STARTTLS is done safely: the session suspends the parser in the callback
// of <starttls/> (server) or <proceed/> (client); any bytes that followed in
// the same read are plaintext that was never negotiated, so the connection
// is dropped rather than those bytes parsed or carried across the restart.
#ifndef XMPPFED_AGENT_EDGE_STREAM_XML_STREAM_H_
#define XMPPFED_AGENT_EDGE_STREAM_XML_STREAM_H_

#include <strophe.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "agent/edge/net/event_loop.h"
#include "agent/edge/stream/output_buffer.h"
#include "agent/edge/tls/tls_channel.h"
#include "agent/edge/xml/stream_parser.h"

namespace xmppfed::edge {

struct StreamCounters {
  uint64_t stanzas_in = 0;
  uint64_t stanzas_out = 0;
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;
};

// The levels of queued output at which a stream asks for its feeders to be
// paused and resumed (gateway settings streamOutputHighWatermark and
// streamOutputLowWatermark; the defaults are theirs).
struct OutputWatermarks {
  size_t high = 1024 * 1024;
  size_t low = 256 * 1024;
  // Runs when queued output grows from `high` or less to more than `high`:
  // from inside Send / SendStanza (or SetOutputWatermarks), on the loop
  // thread.
  std::function<void()> on_above_high;
  // Runs once output that went above `high` is down to `low` or less: after
  // a write, from SetOutputWatermarks, or when the stream closes and its
  // queued output is discarded (just before OnClosed). Each on_above_high is
  // followed by exactly one on_below_low.
  // Both callbacks may call any method of any stream (PauseReading,
  // ResumeReading, Send...) but must not destroy this stream.
  std::function<void()> on_below_low;
};

// The stream's clocks (values from the gateway settings; zero disables
// one). Times are the event loop's (agent/edge/net/clock.h).
struct StreamTimeouts {
  // Closes the stream with <connection-timeout/> when the peer sent
  // nothing for this long (streamInactivityTimeout). Time spent paused by
  // PauseReading does not count: the stream was not listening.
  absl::Duration input_idle = absl::ZeroDuration();
  // With this, a stanza this side sends is activity for input_idle too:
  // the stream is idle only when no stanza went either way and the peer
  // sent nothing. For a peer's stream that also carries our stanzas
  // (XEP-0288 bidirectional). Keep-alives never count.
  bool sent_stanzas_are_activity = false;
  // Closes the stream with <connection-timeout/> when queued output found
  // no taker for this long: the peer stopped reading
  // (streamInactivityTimeout).
  absl::Duration output_stalled = absl::ZeroDuration();
  // Sends one space when nothing was sent for this long (RFC 6120 §4.6.1
  // whitespace keep-alive; keepAliveInterval).
  absl::Duration keep_alive = absl::ZeroDuration();
};

class XmlStreamObserver {
 public:
  virtual ~XmlStreamObserver() = default;
  virtual void OnStreamOpen(const xml::StreamHeader& header) = 0;
  // The parser releases the stanza after the call. A <stream:error/> never
  // comes here: the stream closes (see OnClosed).
  virtual void OnStanza(xmpp_stanza_t* stanza) = 0;
  // The peer closed its stream (</stream:stream>).
  virtual void OnStreamEnd() = 0;
  virtual void OnTlsEstablished() = 0;
  // Called once when the connection is gone, with why. The stream must not
  // be used afterwards except to be destroyed (not from inside this call).
  virtual void OnClosed(const std::string& reason) = 0;
};

class XmlStream {
 public:
  // Takes ownership of the connected, non-blocking `fd`.
  XmlStream(net::EventLoop* loop, xmpp_ctx_t* ctx, int fd,
            xml::StreamLimits limits, XmlStreamObserver* observer);
  ~XmlStream();
  XmlStream(const XmlStream&) = delete;
  XmlStream& operator=(const XmlStream&) = delete;

  absl::Status Start();

  // Queues bytes (a stream header, an element) for sending. Never refuses:
  // the watermarks tell the session when to stop feeding the stream.
  void Send(std::string_view bytes);
  void SendStanza(xmpp_stanza_t* stanza);

  // Replaces the marks and callbacks (high > low; a session may change them
  // at any time, e.g. after the gateway settings changed). The callbacks
  // run at once when the queued output already crossed the new marks.
  void SetOutputWatermarks(OutputWatermarks marks);
  // Bytes queued and not yet accepted by the socket (or TLS).
  size_t output_bytes() const { return output_.size(); }
  // Between an on_above_high and its on_below_low.
  bool output_above_high() const { return above_high_; }

  // Flow control from the other side: stops reading the socket (and handing
  // stanzas to the observer) until as many ResumeReading calls have been
  // made as PauseReading calls, so several full streams can each hold one
  // pause on a feeder. Called from a callback of this stream, the stanzas
  // left in the bytes already read (at most one read, 64 KiB) are still
  // delivered. A TLS handshake in progress goes on; a hang-up or socket
  // error reported while paused is still read, to end the stream.
  void PauseReading();
  // Resuming also goes on with data TLS already decrypted or buffered,
  // which no readiness event would announce (from the loop, not from
  // inside this call).
  void ResumeReading();
  bool reading_paused() const { return read_pauses_ > 0; }

  // Replaces the timeouts; each counts from the later of now and the last
  // activity it watches.
  void SetTimeouts(StreamTimeouts timeouts);

  // From inside OnStanza: parse no further bytes of the current read.
  void SuspendParser();
  // For a stream restart: the next bytes start a new stream header.
  void ResetParser();
  // Starts TLS once everything queued so far has been sent in plaintext.
  // `channel_factory` makes the channel over this stream's fd.
  void StartTls(
      std::function<absl::StatusOr<std::unique_ptr<tls::TlsChannel>>(int fd)>
          channel_factory);

  // Sends <stream:error> with `condition` and </stream:stream>, then closes
  // once that is written (or after a short grace period).
  void CloseWithError(xml::StreamError condition, const std::string& text);
  // Sends </stream:stream> and closes after the flush.
  void CloseGracefully(const std::string& reason);
  // Closes at once.
  void Abort(const std::string& reason);

  bool closed() const { return closed_; }
  // Closed, or closing (a stream error or the end tag is on its way).
  bool ending() const { return closed_ || closing_; }
  tls::TlsChannel* tls() const { return tls_active_ ? tls_.get() : nullptr; }
  const StreamCounters& counters() const { return counters_; }
  const std::string& peer_address() const { return peer_address_; }
  // Set by the session when it knows the stream's header was sent; used to
  // know whether a stream error needs a header first.
  void set_header_sent(bool sent) { header_sent_ = sent; }
  bool header_sent() const { return header_sent_; }
  void set_header_for_errors(xml::StreamHeader header) {
    error_header_ = std::move(header);
  }

 private:
  class ParserEvents;

  void OnIo(uint32_t ready);
  void ReadSome();
  void FlushOutput();
  void ContinueHandshake();
  void UpdateInterest();
  // Changes the fd's interest; a failure (the loop lost the fd) closes the
  // stream from the loop, never from inside the caller.
  void SetInterest(uint32_t interest);
  // Runs the watermark callbacks that the current output level calls for.
  void CheckWatermarks();
  void ReadLater();
  // (Re)arms the one timer serving every timeout for the earliest deadline.
  void ArmTimeouts();
  void CheckTimeouts();
  // What input_idle counts from (StreamTimeouts::sent_stanzas_are_activity).
  net::Clock::TimePoint IdleSince() const;
  // Send queued bytes: keep-alive and stall bookkeeping.
  void NoteSent(bool output_was_empty);
  void FinishClose(const std::string& reason);
  // A <stream:error/> from the peer ends the stream without one in return;
  // the observer hears of it through OnClosed("peer sent stream error ...").
  void ClosePeerErrored(xmpp_stanza_t* error);

  net::EventLoop* loop_;
  xmpp_ctx_t* ctx_;
  int fd_;
  XmlStreamObserver* observer_;
  std::unique_ptr<ParserEvents> events_;
  std::unique_ptr<xml::StreamParser> parser_;
  std::string peer_address_;

  OutputBuffer output_;
  OutputWatermarks watermarks_;
  bool above_high_ = false;
  int read_pauses_ = 0;
  StreamTimeouts timeouts_;
  // Some timeout is set: activity times are kept up to date.
  bool timed_ = false;
  net::Clock::TimePoint last_input_at_;
  net::Clock::TimePoint last_send_at_;
  // Kept only with timeouts_.sent_stanzas_are_activity.
  net::Clock::TimePoint last_stanza_sent_at_;
  // Since when the peer has taken none of the queued output.
  net::Clock::TimePoint output_waiting_since_;
  net::EventLoop::TimerId timeout_timer_ = 0;
  net::Clock::TimePoint timeout_due_;
  bool read_scheduled_ = false;
  bool suspended_ = false;
  bool header_sent_ = false;
  xml::StreamHeader error_header_;

  std::function<absl::StatusOr<std::unique_ptr<tls::TlsChannel>>(int)>
      pending_tls_;
  std::unique_ptr<tls::TlsChannel> tls_;
  bool tls_active_ = false;
  bool handshaking_ = false;

  bool closing_ = false;
  bool closed_ = false;
  // A flush of output_ is deferred to the end of the loop round.
  bool flush_deferred_ = false;
  // Expires with the stream: deferred work checks it.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  std::string closing_reason_;
  net::EventLoop::TimerId close_timer_ = 0;
  StreamCounters counters_;
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_STREAM_XML_STREAM_H_
