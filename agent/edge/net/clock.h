// The monotonic clock the event loop reads for its timers, as a seam: the
// agent uses the steady clock; tests use a ManualClock they advance, so a
// timeout of minutes is tested in no time.
#ifndef XMPPFED_AGENT_EDGE_NET_CLOCK_H_
#define XMPPFED_AGENT_EDGE_NET_CLOCK_H_

#include <atomic>
#include <chrono>

#include "absl/time/time.h"

namespace xmppfed::edge::net {

class Clock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  virtual ~Clock() = default;
  // Thread-safe; never goes backwards.
  virtual TimePoint Now() const = 0;
  // Whether Now() follows real time: an event loop can only sleep until its
  // next timer on a clock that does.
  virtual bool real_time() const { return true; }

  // std::chrono::steady_clock; lives for the whole process.
  static const Clock* Steady();
};

// Time that only moves when told to. Starts at an arbitrary point.
class ManualClock : public Clock {
 public:
  TimePoint Now() const override { return TimePoint(now_.load()); }
  bool real_time() const override { return false; }
  // Thread-safe. A negative `by` is ignored.
  void Advance(absl::Duration by);

 private:
  std::atomic<std::chrono::steady_clock::duration> now_{std::chrono::hours(1)};
};

// `point` - `since` as an absl::Duration.
absl::Duration Elapsed(Clock::TimePoint since, Clock::TimePoint point);

}  // namespace xmppfed::edge::net

#endif  // XMPPFED_AGENT_EDGE_NET_CLOCK_H_
