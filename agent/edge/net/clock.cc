#include "agent/edge/net/clock.h"

#include <algorithm>

namespace xmppfed::edge::net {
namespace {

class SteadyClock : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::steady_clock::now(); }
};

}  // namespace

const Clock* Clock::Steady() {
  static const SteadyClock* const clock = new SteadyClock();
  return clock;
}

void ManualClock::Advance(absl::Duration by) {
  auto step = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      absl::ToChronoNanoseconds(std::max(by, absl::ZeroDuration())));
  std::chrono::steady_clock::duration now = now_.load();
  while (!now_.compare_exchange_weak(now, now + step)) {
  }
}

absl::Duration Elapsed(Clock::TimePoint since, Clock::TimePoint point) {
  return absl::FromChrono(point - since);
}

}  // namespace xmppfed::edge::net
