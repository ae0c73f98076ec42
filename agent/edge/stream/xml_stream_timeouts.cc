// XmlStream's timeouts (StreamTimeouts): one loop timer per stream, set for
// the earliest deadline and re-evaluated when it fires, so that activity
// costs a clock read, not a timer change.
#include <algorithm>
#include <chrono>
#include <optional>

#include "absl/strings/str_cat.h"
#include "agent/edge/stream/xml_stream.h"
#include "agent/edge/xml/stream_error.h"

namespace xmppfed::edge {
namespace {

net::Clock::TimePoint Deadline(net::Clock::TimePoint since,
                               absl::Duration after) {
  return since + std::chrono::duration_cast<net::Clock::TimePoint::duration>(
                     absl::ToChronoNanoseconds(after));
}

}  // namespace

void XmlStream::SetTimeouts(StreamTimeouts timeouts) {
  timeouts_ = timeouts;
  timed_ = timeouts.input_idle > absl::ZeroDuration() ||
           timeouts.output_stalled > absl::ZeroDuration() ||
           timeouts.keep_alive > absl::ZeroDuration();
  net::Clock::TimePoint now = loop_->Now();
  last_input_at_ = std::max(last_input_at_, now);
  last_send_at_ = std::max(last_send_at_, now);
  last_stanza_sent_at_ = std::max(last_stanza_sent_at_, now);
  output_waiting_since_ = std::max(output_waiting_since_, now);
  ArmTimeouts();
}

void XmlStream::ArmTimeouts() {
  if (timeout_timer_ != 0) {
    loop_->CancelTimer(timeout_timer_);
    timeout_timer_ = 0;
  }
  if (closed_ || closing_ || !timed_) return;
  std::optional<net::Clock::TimePoint> due;
  auto consider = [&due](net::Clock::TimePoint since, absl::Duration after) {
    if (after <= absl::ZeroDuration()) return;
    net::Clock::TimePoint deadline = Deadline(since, after);
    if (!due || deadline < *due) due = deadline;
  };
  if (read_pauses_ == 0) consider(IdleSince(), timeouts_.input_idle);
  if (!output_.empty()) {
    consider(output_waiting_since_, timeouts_.output_stalled);
  }
  consider(last_send_at_, timeouts_.keep_alive);
  if (!due) return;
  timeout_due_ = *due;
  timeout_timer_ = loop_->AddTimer(net::Elapsed(loop_->Now(), *due), [this] {
    timeout_timer_ = 0;
    CheckTimeouts();
  });
}

void XmlStream::CheckTimeouts() {
  if (closed_ || closing_) return;
  net::Clock::TimePoint now = loop_->Now();
  auto expired = [now](net::Clock::TimePoint since, absl::Duration after) {
    return after > absl::ZeroDuration() && Deadline(since, after) <= now;
  };
  if (read_pauses_ == 0 && expired(IdleSince(), timeouts_.input_idle)) {
    CloseWithError(xml::StreamError::kConnectionTimeout,
                   absl::StrCat(timeouts_.sent_stanzas_are_activity
                                    ? "no stanza either way and no data for "
                                    : "no data for ",
                                absl::FormatDuration(timeouts_.input_idle)));
    return;
  }
  if (!output_.empty() &&
      expired(output_waiting_since_, timeouts_.output_stalled)) {
    CloseWithError(
        xml::StreamError::kConnectionTimeout,
        absl::StrCat("the peer accepted no data for ",
                     absl::FormatDuration(timeouts_.output_stalled)));
    return;
  }
  if (expired(last_send_at_, timeouts_.keep_alive)) Send(" ");
  ArmTimeouts();
}

net::Clock::TimePoint XmlStream::IdleSince() const {
  return timeouts_.sent_stanzas_are_activity
             ? std::max(last_input_at_, last_stanza_sent_at_)
             : last_input_at_;
}

void XmlStream::NoteSent(bool output_was_empty) {
  last_send_at_ = loop_->Now();
  if (!output_was_empty) return;
  output_waiting_since_ = last_send_at_;
  // The stall deadline may come before the one the timer is set for.
  if (timeouts_.output_stalled > absl::ZeroDuration() &&
      (timeout_timer_ == 0 ||
       Deadline(output_waiting_since_, timeouts_.output_stalled) <
           timeout_due_)) {
    ArmTimeouts();
  }
}

}  // namespace xmppfed::edge
