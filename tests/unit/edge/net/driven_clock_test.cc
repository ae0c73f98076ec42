// The event loop on a ManualClock: timers fire when the test advances time,
// never by waiting, and RunOnce dispatches one round.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "agent/edge/net/clock.h"
#include "agent/edge/net/event_loop.h"

namespace xmppfed::edge::net {
namespace {

using ::testing::ElementsAre;

class DrivenClockTest : public ::testing::Test {
 protected:
  DrivenClockTest() {
    auto loop = EventLoop::Create(&clock_);
    EXPECT_TRUE(loop.ok()) << loop.status();
    if (loop.ok()) loop_ = *std::move(loop);
  }

  ManualClock clock_;
  std::unique_ptr<EventLoop> loop_;
  std::vector<std::string> fired_;
};

TEST_F(DrivenClockTest, TimersFireOnlyWhenTheClockReachesThem) {
  loop_->AddTimer(absl::Minutes(10), [&] { fired_.push_back("10m"); });
  loop_->AddTimer(absl::Seconds(30), [&] { fired_.push_back("30s"); });
  auto started = std::chrono::steady_clock::now();
  loop_->RunOnce(absl::Milliseconds(20));
  EXPECT_THAT(fired_, ElementsAre());
  clock_.Advance(absl::Seconds(29));
  loop_->RunOnce(absl::ZeroDuration());
  EXPECT_THAT(fired_, ElementsAre());
  clock_.Advance(absl::Seconds(1));
  loop_->RunOnce(absl::ZeroDuration());
  EXPECT_THAT(fired_, ElementsAre("30s"));
  clock_.Advance(absl::Minutes(20));
  loop_->RunOnce(absl::ZeroDuration());
  EXPECT_THAT(fired_, ElementsAre("30s", "10m"));
  // Ten minutes of timers took no real time beyond the one bounded wait.
  EXPECT_LT(std::chrono::steady_clock::now() - started,
            std::chrono::seconds(5));
}

TEST_F(DrivenClockTest, NowFollowsTheClockAndAdvanceIgnoresNegativeSteps) {
  Clock::TimePoint start = loop_->Now();
  clock_.Advance(absl::Seconds(5));
  EXPECT_EQ(Elapsed(start, loop_->Now()), absl::Seconds(5));
  clock_.Advance(absl::Seconds(-3));
  EXPECT_EQ(Elapsed(start, loop_->Now()), absl::Seconds(5));
  EXPECT_FALSE(clock_.real_time());
  EXPECT_TRUE(Clock::Steady()->real_time());
}

TEST_F(DrivenClockTest, RunOnceDispatchesReadyIoPostedAndDeferredTasks) {
  int fd[2];
  ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fd), 0);
  ASSERT_TRUE(loop_
                  ->Watch(fd[0], EventLoop::kReadable,
                          [&](uint32_t) {
                            char c;
                            while (::read(fd[0], &c, 1) == 1) {
                            }
                            fired_.push_back("io");
                            loop_->Defer([&] { fired_.push_back("deferred"); });
                          })
                  .ok());
  loop_->Post([&] { fired_.push_back("posted"); });
  ASSERT_EQ(::write(fd[1], "x", 1), 1);
  loop_->RunOnce(absl::ZeroDuration());
  EXPECT_THAT(fired_,
              ::testing::UnorderedElementsAre("io", "posted", "deferred"));
  EXPECT_EQ(fired_.back(), "deferred");
  loop_->Unwatch(fd[0]);
  ::close(fd[0]);
  ::close(fd[1]);
}

TEST(SteadyLoopTest, RunOnceWaitsNoLongerThanTheNextTimer) {
  auto loop = EventLoop::Create();
  ASSERT_TRUE(loop.ok());
  bool fired = false;
  (*loop)->AddTimer(absl::Milliseconds(30), [&] { fired = true; });
  auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 100 && !fired; ++i) {
    (*loop)->RunOnce(absl::Seconds(10));
  }
  EXPECT_TRUE(fired);
  EXPECT_LT(std::chrono::steady_clock::now() - started,
            std::chrono::seconds(5));
}

}  // namespace
}  // namespace xmppfed::edge::net
