// The edge's event loop: I/O dispatch over real socketpairs and pipes,
// timers, posted tasks and Stop, across threads.
#include "agent/edge/net/event_loop.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace xmppfed::edge::net {
namespace {

using ::testing::ElementsAre;

// A non-blocking socketpair, closed with the object.
struct SocketPair {
  int fd[2] = {-1, -1};
  SocketPair() {
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
                           0, fd),
              0);
  }
  ~SocketPair() {
    for (int f : fd) {
      if (f >= 0) ::close(f);
    }
  }
  void Send(const char* text) const {
    ASSERT_GT(::write(fd[1], text, std::strlen(text)), 0);
  }
};

std::unique_ptr<EventLoop> NewLoop() {
  absl::StatusOr<std::unique_ptr<EventLoop>> loop = EventLoop::Create();
  EXPECT_TRUE(loop.ok()) << loop.status();
  return loop.ok() ? *std::move(loop) : nullptr;
}

// Makes Run() return after `after` even when the behaviour under test fails.
void StopAfter(EventLoop& loop, absl::Duration after) {
  loop.AddTimer(after, [&loop] { loop.Stop(); });
}

TEST(EventLoopTest, WatchDispatchesReadableThenModifyChangesInterest) {
  auto loop = NewLoop();
  SocketPair pair;
  pair.Send("x");
  std::vector<uint32_t> seen;
  ASSERT_TRUE(loop->Watch(pair.fd[0], EventLoop::kReadable,
                          [&](uint32_t r) {
                            seen.push_back(r);
                            loop->Stop();
                          })
                  .ok());
  StopAfter(*loop, absl::Seconds(5));
  loop->Run();
  EXPECT_THAT(seen, ElementsAre(EventLoop::kReadable));

  // Writable only: the unread byte is not reported any more.
  seen.clear();
  ASSERT_TRUE(loop->Modify(pair.fd[0], EventLoop::kWritable).ok());
  loop->Run();
  EXPECT_THAT(seen, ElementsAre(EventLoop::kWritable));

  // No interest: nothing is dispatched until the timer stops the loop.
  seen.clear();
  ASSERT_TRUE(loop->Modify(pair.fd[0], 0).ok());
  StopAfter(*loop, absl::Milliseconds(30));
  loop->Run();
  EXPECT_TRUE(seen.empty());
  loop->Unwatch(pair.fd[0]);
}

TEST(EventLoopTest, WatchModifyAndUnwatchRefuseWhatTheyCannotDo) {
  auto loop = NewLoop();
  SocketPair pair;
  ASSERT_TRUE(
      loop->Watch(pair.fd[0], EventLoop::kReadable, [](uint32_t) {}).ok());
  EXPECT_EQ(
      loop->Watch(pair.fd[0], EventLoop::kReadable, [](uint32_t) {}).code(),
      absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(loop->Watch(-1, EventLoop::kReadable, [](uint32_t) {}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(loop->Modify(pair.fd[1], EventLoop::kReadable).code(),
            absl::StatusCode::kNotFound);
  loop->Unwatch(pair.fd[1]);  // not watched: a no-op
  loop->Unwatch(pair.fd[0]);
  EXPECT_EQ(loop->Modify(pair.fd[0], EventLoop::kReadable).code(),
            absl::StatusCode::kNotFound);
  // Unwatched, the fd may be watched again.
  EXPECT_TRUE(
      loop->Watch(pair.fd[0], EventLoop::kReadable, [](uint32_t) {}).ok());
  loop->Unwatch(pair.fd[0]);
}

TEST(EventLoopTest, HangUpIsReportedAsReadableAndWritable) {
  auto loop = NewLoop();
  int fds[2];
  ASSERT_EQ(::pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
  ::close(fds[1]);
  uint32_t ready = 0;
  ASSERT_TRUE(loop->Watch(fds[0], EventLoop::kReadable,
                          [&](uint32_t r) {
                            ready = r;
                            loop->Stop();
                          })
                  .ok());
  StopAfter(*loop, absl::Seconds(5));
  loop->Run();
  EXPECT_EQ(ready, EventLoop::kReadable | EventLoop::kWritable);
  loop->Unwatch(fds[0]);
  ::close(fds[0]);
}

TEST(EventLoopTest, FdUnwatchedDuringABatchGetsNoMoreOfItsEvents) {
  auto loop = NewLoop();
  SocketPair a, b;
  a.Send("a");
  b.Send("b");  // both readable: one epoll_wait reports both
  int first = -1;
  int stale_calls = 0;
  int rewatched_calls = 0;
  auto handler_for = [&](int own_fd, int other_fd) {
    return [&, own_fd, other_fd](uint32_t) {
      if (first != -1) {
        ++stale_calls;  // the other fd's event of the same batch
        return;
      }
      first = own_fd;
      loop->Unwatch(other_fd);
      // The same fd number watched again: the batch's event predates it.
      ASSERT_TRUE(loop->Watch(other_fd, EventLoop::kReadable,
                              [&](uint32_t) { ++rewatched_calls; })
                      .ok());
      loop->Unwatch(own_fd);
      // Runs after this batch, in the same round.
      loop->AddTimer(absl::ZeroDuration(), [&] { loop->Stop(); });
    };
  };
  ASSERT_TRUE(
      loop->Watch(a.fd[0], EventLoop::kReadable, handler_for(a.fd[0], b.fd[0]))
          .ok());
  ASSERT_TRUE(
      loop->Watch(b.fd[0], EventLoop::kReadable, handler_for(b.fd[0], a.fd[0]))
          .ok());
  StopAfter(*loop, absl::Seconds(5));
  loop->Run();
  EXPECT_NE(first, -1);
  EXPECT_EQ(stale_calls, 0);
  EXPECT_EQ(rewatched_calls, 0);
  loop->Unwatch(a.fd[0]);
  loop->Unwatch(b.fd[0]);
}

TEST(EventLoopTest, HandlerSurvivesUnwatchingItsOwnFd) {
  auto loop = NewLoop();
  SocketPair pair;
  pair.Send("x");
  std::string seen;
  auto owned = std::make_shared<std::string>("still here");
  ASSERT_TRUE(loop->Watch(pair.fd[0], EventLoop::kReadable,
                          [&, owned](uint32_t) {
                            loop->Unwatch(pair.fd[0]);  // destroys the watch
                            seen = *owned;  // the captures are still alive
                            loop->Stop();
                          })
                  .ok());
  std::weak_ptr<std::string> weak = owned;
  owned.reset();
  StopAfter(*loop, absl::Seconds(5));
  loop->Run();
  EXPECT_EQ(seen, "still here");
  EXPECT_TRUE(weak.expired());  // the handler is gone once it returned
}

TEST(EventLoopTest, TimersRunByDeadlineThenInOrderAdded) {
  auto loop = NewLoop();
  std::vector<std::string> order;
  loop->AddTimer(absl::Milliseconds(40), [&] { order.push_back("40ms"); });
  loop->AddTimer(absl::Milliseconds(10), [&] { order.push_back("10ms"); });
  loop->AddTimer(absl::ZeroDuration(), [&] { order.push_back("0 first"); });
  loop->AddTimer(absl::Milliseconds(-5), [&] { order.push_back("negative"); });
  loop->AddTimer(absl::ZeroDuration(), [&] { order.push_back("0 second"); });
  loop->AddTimer(absl::Milliseconds(60), [&] { loop->Stop(); });
  auto started = std::chrono::steady_clock::now();
  loop->Run();
  EXPECT_GE(std::chrono::steady_clock::now() - started,
            std::chrono::milliseconds(60));
  // A negative delay counts as zero, and ties keep the order of adding.
  EXPECT_THAT(order,
              ElementsAre("0 first", "negative", "0 second", "10ms", "40ms"));
}

TEST(EventLoopTest, CancelledTimerNeverRunsAndCancelAfterRunIsANoOp) {
  auto loop = NewLoop();
  std::vector<std::string> ran;
  EventLoop::TimerId cancelled = loop->AddTimer(
      absl::Milliseconds(10), [&] { ran.push_back("cancelled"); });
  EventLoop::TimerId done =
      loop->AddTimer(absl::ZeroDuration(), [&] { ran.push_back("done"); });
  loop->CancelTimer(cancelled);
  loop->AddTimer(absl::Milliseconds(40), [&] {
    loop->CancelTimer(done);       // already ran
    loop->CancelTimer(cancelled);  // already cancelled
    loop->CancelTimer(12345);      // never existed
    loop->Stop();
  });
  loop->Run();
  EXPECT_THAT(ran, ElementsAre("done"));
}

TEST(EventLoopTest, ZeroDelayTimerReAddedByItsCallbackDoesNotStarveIo) {
  auto loop = NewLoop();
  SocketPair pair;
  int rounds = 0;
  bool task_ran = false;
  bool io_ran = false;
  std::function<void()> again = [&] {
    if (++rounds > 1'000'000) return loop->Stop();  // starving: give up
    if (rounds == 1) {
      // Work that can only be dispatched once the timer round returns.
      pair.Send("x");
      loop->Post([&] { task_ran = true; });
    }
    loop->AddTimer(absl::ZeroDuration(), again);
  };
  loop->AddTimer(absl::ZeroDuration(), again);
  ASSERT_TRUE(loop->Watch(pair.fd[0], EventLoop::kReadable,
                          [&](uint32_t) {
                            io_ran = true;
                            loop->Stop();
                          })
                  .ok());
  loop->Run();
  EXPECT_TRUE(io_ran);
  EXPECT_TRUE(task_ran);
  EXPECT_LT(rounds, 1'000'000);
  loop->Unwatch(pair.fd[0]);
}

TEST(EventLoopTest, DeferredTasksRunAfterTheRoundsEventsBeforeWaiting) {
  auto loop = NewLoop();
  SocketPair first, second;
  first.Send("a");
  second.Send("b");
  std::vector<std::string> order;
  for (SocketPair* pair : {&first, &second}) {
    int fd = pair->fd[0];
    ASSERT_TRUE(loop->Watch(fd, EventLoop::kReadable,
                            [&, fd](uint32_t) {
                              char c;
                              ASSERT_EQ(::read(fd, &c, 1), 1);
                              order.push_back(std::string("read ") + c);
                              loop->Defer([&, c] {
                                order.push_back(std::string("deferred ") + c);
                                if (c == 'b') {
                                  // Deferred by a deferred task: same round.
                                  loop->Defer([&] {
                                    order.push_back("nested");
                                    loop->Stop();
                                  });
                                }
                              });
                            })
                    .ok());
  }
  StopAfter(*loop, absl::Seconds(5));
  loop->Run();
  // Both reads came in one epoll batch; their deferred work ran after both.
  EXPECT_THAT(order, ElementsAre("read a", "read b", "deferred a", "deferred b",
                                 "nested"));
}

TEST(EventLoopTest, ADeferredTaskRunsEvenWhenNothingElseHappens) {
  auto loop = NewLoop();
  bool ran = false;
  loop->Defer([&] {
    ran = true;
    loop->Stop();
  });
  StopAfter(*loop, absl::Seconds(5));
  auto started = std::chrono::steady_clock::now();
  loop->Run();
  EXPECT_TRUE(ran);
  // It did not wait for the safety timer.
  EXPECT_LT(std::chrono::steady_clock::now() - started,
            std::chrono::seconds(4));
}

TEST(EventLoopTest, PostFromAnotherThreadRunsOnTheLoopThreadInOrder) {
  auto loop = NewLoop();
  std::thread::id loop_thread;
  std::vector<int> order;
  std::vector<bool> in_loop_thread;
  std::thread runner([&] {
    loop_thread = std::this_thread::get_id();
    loop->Run();
  });
  std::thread poster([&] {
    EXPECT_FALSE(loop->InLoopThread());
    for (int i = 0; i < 3; ++i) {
      loop->Post([&, i] {
        order.push_back(i);
        in_loop_thread.push_back(loop->InLoopThread() &&
                                 std::this_thread::get_id() == loop_thread);
      });
    }
    loop->Post([&] { loop->Stop(); });
  });
  poster.join();
  runner.join();
  EXPECT_THAT(order, ElementsAre(0, 1, 2));
  EXPECT_THAT(in_loop_thread, ElementsAre(true, true, true));
}

TEST(EventLoopTest, StopFromAnotherThreadEndsAnIdleRun) {
  auto loop = NewLoop();
  std::atomic<bool> returned{false};
  std::thread runner([&] {
    loop->Run();  // nothing to do: blocks in epoll_wait
    returned = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_FALSE(returned);
  loop->Stop();
  runner.join();
  EXPECT_TRUE(returned);
}

TEST(EventLoopTest, TasksPostedBeforeStopStillRun) {
  auto loop = NewLoop();
  std::vector<std::string> ran;
  // A Stop() before Run(): Run returns at once, after the posted tasks.
  loop->Post([&] { ran.push_back("a"); });
  loop->Post([&] { ran.push_back("b"); });
  loop->Stop();
  loop->Run();
  EXPECT_THAT(ran, ElementsAre("a", "b"));

  // A task that stops the loop: the tasks posted after it still run.
  ran.clear();
  loop->Post([&] {
    ran.push_back("stopper");
    loop->Stop();
  });
  loop->Post([&] { ran.push_back("after"); });
  loop->Run();
  EXPECT_THAT(ran, ElementsAre("stopper", "after"));
}

TEST(EventLoopTest, DestroyingTheLoopDestroysUnrunTasksAndKeepsWatchedFds) {
  auto loop = NewLoop();
  SocketPair pair;
  auto token = std::make_shared<int>(0);
  bool ran = false;
  loop->Post([token, &ran] { ran = true; });
  ASSERT_TRUE(
      loop->Watch(pair.fd[0], EventLoop::kReadable, [](uint32_t) {}).ok());
  EXPECT_EQ(token.use_count(), 2);
  loop.reset();
  EXPECT_FALSE(ran);
  EXPECT_EQ(token.use_count(), 1);
  EXPECT_NE(::fcntl(pair.fd[0], F_GETFD), -1);  // still open
}

}  // namespace
}  // namespace xmppfed::edge::net
