#include "agent/edge/stream/xml_stream.h"

#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "agent/edge/net/tcp.h"
#include "agent/edge/xml/stream_error.h"
#include "agent/edge/xml/stream_writer.h"

namespace xmppfed::edge {
namespace {

constexpr size_t kReadChunk = 64 * 1024;
// Chunks of output handed to one sendmsg: 256 KiB.
constexpr size_t kMaxWriteChunks = 16;
// How long a closing stream waits for its last bytes to leave.
constexpr absl::Duration kCloseGrace = absl::Seconds(2);

}  // namespace

// Forwards the parser's events to the observer, counting stanzas.
class XmlStream::ParserEvents : public xml::StreamHandler {
 public:
  explicit ParserEvents(XmlStream* stream) : stream_(stream) {}

  void OnStreamOpen(const xml::StreamHeader& header) override {
    stream_->observer_->OnStreamOpen(header);
  }
  void OnStanza(xmpp_stanza_t* stanza) override {
    if (xml::IsStreamErrorElement(stanza)) {
      stream_->ClosePeerErrored(stanza);
      return;
    }
    ++stream_->counters_.stanzas_in;
    stream_->observer_->OnStanza(stanza);
  }
  void OnStreamClose() override { stream_->observer_->OnStreamEnd(); }
  void OnStreamError(xml::StreamError error,
                     const std::string& detail) override {
    stream_->CloseWithError(error, detail);
  }

 private:
  XmlStream* stream_;
};

XmlStream::XmlStream(net::EventLoop* loop, xmpp_ctx_t* ctx, int fd,
                     xml::StreamLimits limits, XmlStreamObserver* observer)
    : loop_(loop),
      ctx_(ctx),
      fd_(fd),
      observer_(observer),
      events_(std::make_unique<ParserEvents>(this)),
      parser_(std::make_unique<xml::StreamParser>(ctx, limits, events_.get())),
      peer_address_(net::PeerAddress(fd)),
      last_input_at_(loop->Now()),
      last_send_at_(last_input_at_),
      last_stanza_sent_at_(last_input_at_) {}

XmlStream::~XmlStream() {
  if (close_timer_ != 0) loop_->CancelTimer(close_timer_);
  if (timeout_timer_ != 0) loop_->CancelTimer(timeout_timer_);
  if (fd_ >= 0) {
    loop_->Unwatch(fd_);
    tls_.reset();
    ::close(fd_);
  }
}

absl::Status XmlStream::Start() {
  return loop_->Watch(fd_, net::EventLoop::kReadable,
                      [this](uint32_t ready) { OnIo(ready); });
}

void XmlStream::Send(std::string_view bytes) {
  if (closed_ || closing_) return;
  bool was_empty = output_.empty();
  output_.Append(bytes);
  if (timed_) NoteSent(was_empty);
  if (!above_high_ && output_.size() > watermarks_.high) CheckWatermarks();
  // One write per loop round for everything sent during it: a burst of
  // relayed stanzas costs one system call, not one each.
  if (flush_deferred_) return;
  flush_deferred_ = true;
  loop_->Defer([this, alive = std::weak_ptr<bool>(alive_)] {
    if (alive.expired()) return;
    flush_deferred_ = false;
    FlushOutput();
  });
}

void XmlStream::SendStanza(xmpp_stanza_t* stanza) {
  if (closed_ || closing_) return;
  ++counters_.stanzas_out;
  // Serialised into one buffer per thread, reused: no allocation per stanza.
  thread_local std::string scratch;
  scratch.clear();
  xml::AppendStanzaXml(stanza, &scratch);
  Send(scratch);
  // Send has just read the clock for the keep-alive (NoteSent).
  if (timed_ && timeouts_.sent_stanzas_are_activity) {
    last_stanza_sent_at_ = last_send_at_;
  }
  if (scratch.capacity() > 64 * 1024) std::string().swap(scratch);
}

void XmlStream::SetOutputWatermarks(OutputWatermarks marks) {
  watermarks_ = std::move(marks);
  if (!closed_) CheckWatermarks();
}

void XmlStream::CheckWatermarks() {
  // A callback may send (crossing again) or change the marks: re-evaluated
  // until the level and the state agree.
  while (true) {
    if (!above_high_ && output_.size() > watermarks_.high) {
      above_high_ = true;
      if (watermarks_.on_above_high) watermarks_.on_above_high();
    } else if (above_high_ && output_.size() <= watermarks_.low) {
      above_high_ = false;
      if (watermarks_.on_below_low) watermarks_.on_below_low();
    } else {
      return;
    }
  }
}

void XmlStream::PauseReading() {
  if (++read_pauses_ == 1) UpdateInterest();
}

void XmlStream::ResumeReading() {
  if (read_pauses_ == 0 || --read_pauses_ > 0) return;
  UpdateInterest();
  if (timeouts_.input_idle > absl::ZeroDuration()) {
    // Silence while paused was ours, not the peer's.
    last_input_at_ = loop_->Now();
    ArmTimeouts();
  }
  // Records TLS already took off the socket raise no readiness event.
  if (tls_active_ && tls_->has_pending()) ReadLater();
}

void XmlStream::ReadLater() {
  if (read_scheduled_) return;
  read_scheduled_ = true;
  loop_->Defer([this, alive = std::weak_ptr<bool>(alive_)] {
    if (alive.expired()) return;
    read_scheduled_ = false;
    if (!closed_ && !handshaking_ && read_pauses_ == 0) ReadSome();
  });
}

void XmlStream::SuspendParser() {
  suspended_ = true;
  parser_->Suspend();
}

void XmlStream::ResetParser() {
  parser_->Reset();
  suspended_ = false;
}

void XmlStream::StartTls(
    std::function<absl::StatusOr<std::unique_ptr<tls::TlsChannel>>(int fd)>
        channel_factory) {
  pending_tls_ = std::move(channel_factory);
  FlushOutput();
}

void XmlStream::CloseWithError(xml::StreamError condition,
                               const std::string& text) {
  if (closed_ || closing_) return;
  std::string bytes;
  if (!header_sent_) bytes = xml::StreamHeaderXml(error_header_, true);
  bytes += xml::StreamErrorXml(condition, text);
  output_.Append(bytes);
  header_sent_ = true;
  closing_ = true;
  closing_reason_ = std::string(xml::StreamErrorName(condition)) +
                    (text.empty() ? "" : ": " + text);
  parser_->Suspend();
  close_timer_ = loop_->AddTimer(kCloseGrace, [this] {
    close_timer_ = 0;
    FinishClose(closing_reason_);
  });
  FlushOutput();
}

void XmlStream::CloseGracefully(const std::string& reason) {
  if (closed_ || closing_) return;
  output_.Append("</stream:stream>");
  closing_ = true;
  closing_reason_ = reason;
  close_timer_ = loop_->AddTimer(kCloseGrace, [this] {
    close_timer_ = 0;
    FinishClose(closing_reason_);
  });
  FlushOutput();
}

void XmlStream::ClosePeerErrored(xmpp_stanza_t* error) {
  if (closed_ || closing_) return;
  // The peer's stream is over (RFC 6120 §4.9.1.1): nothing more of it is
  // read, and no stream error is sent back, only our closing tag.
  parser_->Suspend();
  CloseGracefully("peer sent stream error " +
                  xml::DescribeStreamErrorElement(error));
}

void XmlStream::Abort(const std::string& reason) { FinishClose(reason); }

void XmlStream::FinishClose(const std::string& reason) {
  if (closed_) return;
  closed_ = true;
  if (close_timer_ != 0) {
    loop_->CancelTimer(close_timer_);
    close_timer_ = 0;
  }
  if (timeout_timer_ != 0) {
    loop_->CancelTimer(timeout_timer_);
    timeout_timer_ = 0;
  }
  loop_->Unwatch(fd_);
  if (tls_active_) tls_->Shutdown();
  ::shutdown(fd_, SHUT_RDWR);
  // Whatever the peer did not take is gone: whoever waits for this stream
  // to drain is told so before it hears of the close.
  output_.Clear();
  if (above_high_) {
    above_high_ = false;
    if (watermarks_.on_below_low) watermarks_.on_below_low();
  }
  observer_->OnClosed(reason);
}

void XmlStream::OnIo(uint32_t ready) {
  if (closed_) return;
  if (handshaking_) {
    ContinueHandshake();
    return;
  }
  if (ready & net::EventLoop::kWritable) FlushOutput();
  // While paused, readable can only be a hang-up or an error (see
  // PauseReading): reading meets it and ends the stream.
  if (!closed_ && (ready & net::EventLoop::kReadable)) ReadSome();
}

void XmlStream::ReadSome() {
  std::string data;
  bool eof = false;
  if (tls_active_) {
    tls::TlsChannel::Io io = tls_->Read(&data, kReadChunk);
    if (io == tls::TlsChannel::Io::kClosed) eof = true;
    if (io == tls::TlsChannel::Io::kError) {
      FinishClose("TLS error: " + tls_->last_error());
      return;
    }
  } else {
    // One buffer for every stream of the loop's thread: an idle stream
    // holds none, and nothing is zero-filled per read.
    thread_local char buffer[kReadChunk];
    ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n > 0) {
      data.assign(buffer, static_cast<size_t>(n));
    } else {
      if (n == 0) {
        eof = true;
      } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        FinishClose(std::string("read error: ") + std::strerror(errno));
        return;
      }
    }
  }
  if (!data.empty()) {
    counters_.bytes_in += data.size();
    if (timed_) last_input_at_ = loop_->Now();
    if (!closing_) {
      size_t consumed = parser_->Feed(data);
      if (closed_) return;
      if (suspended_ && consumed < data.size() && (pending_tls_ || tls_)) {
        // Bytes after <starttls/> or <proceed/> in the same read were never
        // protected by TLS: they must not be parsed, nor kept.
        FinishClose("plaintext data after STARTTLS");
        return;
      }
      // Between stanzas a stream holds no parser memory (see StreamParser).
      parser_->Compact();
    }
  }
  if (eof) {
    FinishClose(closing_ ? closing_reason_ : "connection closed by peer");
    return;
  }
  // A read stops at kReadChunk; what TLS holds beyond it raises no event.
  if (tls_active_ && !closed_ && read_pauses_ == 0 && tls_->has_pending()) {
    ReadLater();
  }
}

void XmlStream::FlushOutput() {
  while (!output_.empty() && !closed_) {
    size_t written = 0;
    if (tls_active_) {
      // One record at most per call: the front chunk.
      tls::TlsChannel::Io io = tls_->Write(output_.Front(), &written);
      if (io == tls::TlsChannel::Io::kError ||
          io == tls::TlsChannel::Io::kClosed) {
        FinishClose("TLS write failed: " + tls_->last_error());
        return;
      }
    } else if (!handshaking_) {
      iovec iov[kMaxWriteChunks];
      msghdr message{};
      message.msg_iov = iov;
      message.msg_iovlen = output_.Gather(iov, kMaxWriteChunks);
      ssize_t n = ::sendmsg(fd_, &message, MSG_NOSIGNAL);
      if (n > 0) {
        written = static_cast<size_t>(n);
      } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
        FinishClose(std::string("write error: ") + std::strerror(errno));
        return;
      }
    }
    if (written == 0) break;
    counters_.bytes_out += written;
    output_.Consume(written);
    if (timed_) output_waiting_since_ = loop_->Now();
  }
  if (closed_) return;
  if (above_high_) {
    CheckWatermarks();
    if (closed_) return;
  }
  if (output_.empty() && closing_) {
    FinishClose(closing_reason_);
    return;
  }
  if (output_.empty() && pending_tls_ && !handshaking_ && !tls_active_) {
    absl::StatusOr<std::unique_ptr<tls::TlsChannel>> channel =
        pending_tls_(fd_);
    pending_tls_ = nullptr;
    if (!channel.ok()) {
      FinishClose("cannot start TLS: " +
                  std::string(channel.status().message()));
      return;
    }
    tls_ = *std::move(channel);
    handshaking_ = true;
    // Driven from the loop, never from here: this may run inside the
    // parser's callback for <starttls/> or <proceed/>, and on loopback the
    // whole handshake can complete within one call, whose first decrypted
    // bytes must go to a parser that is not in the middle of a Feed.
    SetInterest(net::EventLoop::kReadable | net::EventLoop::kWritable);
    return;
  }
  UpdateInterest();
}

void XmlStream::ContinueHandshake() {
  if (timed_) last_input_at_ = loop_->Now();
  tls::TlsChannel::Io io = tls_->Handshake();
  switch (io) {
    case tls::TlsChannel::Io::kDone:
      handshaking_ = false;
      tls_active_ = true;
      ResetParser();
      UpdateInterest();
      observer_->OnTlsEstablished();
      // Data may already sit decrypted in OpenSSL's buffer.
      if (!closed_ && read_pauses_ == 0) ReadSome();
      return;
    case tls::TlsChannel::Io::kWantRead:
      SetInterest(net::EventLoop::kReadable);
      return;
    case tls::TlsChannel::Io::kWantWrite:
      SetInterest(net::EventLoop::kWritable);
      return;
    default:
      FinishClose("TLS handshake failed: " + tls_->last_error());
      return;
  }
}

void XmlStream::UpdateInterest() {
  if (closed_ || handshaking_) return;
  uint32_t interest = 0;
  if (read_pauses_ == 0) interest |= net::EventLoop::kReadable;
  if (!output_.empty()) interest |= net::EventLoop::kWritable;
  SetInterest(interest);
}

void XmlStream::SetInterest(uint32_t interest) {
  absl::Status modified = loop_->Modify(fd_, interest);
  if (modified.ok()) return;
  loop_->Defer([this, alive = std::weak_ptr<bool>(alive_),
                reason = "event loop: " + std::string(modified.message())] {
    if (!alive.expired()) FinishClose(reason);
  });
}

}  // namespace xmppfed::edge
