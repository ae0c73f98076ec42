#include "agent/edge/net/descriptors.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <vector>

#include "agent/edge/net/tcp.h"

namespace xmppfed::edge::net {
namespace {

// Lowers the soft descriptor limit for one test and restores it after.
class DescriptorLimitTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &saved_), 0); }
  void TearDown() override {
    for (int fd : opened_) ::close(fd);
    ::setrlimit(RLIMIT_NOFILE, &saved_);
  }

  // The lowest free descriptor number now (every lower one is in use).
  static int LowestFree() {
    int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    ::close(fd);
    return fd;
  }

  void SetSoftLimit(rlim_t soft) {
    rlimit limit = saved_;
    limit.rlim_cur = soft;
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &limit), 0);
  }

  // Opens descriptors until one is above the edge's ceiling; returns it
  // (kept open).
  int FillToCeiling() {
    while (true) {
      int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
      if (fd < 0) return -1;
      opened_.push_back(fd);
      if (AboveDescriptorCeiling(fd)) return fd;
    }
  }

  rlimit saved_{};
  std::vector<int> opened_;
};

TEST(DescriptorReserveTest, ASixteenthBetweenSixteenAndAThousand) {
  EXPECT_EQ(DescriptorReserve(100), 16u);
  EXPECT_EQ(DescriptorReserve(1024), 64u);
  EXPECT_EQ(DescriptorReserve(65536), 1024u);
  EXPECT_EQ(DescriptorReserve(1048576), 1024u);
}

TEST_F(DescriptorLimitTest, TheFirstDescriptorAboveTheCeilingLeavesTheReserve) {
  rlim_t soft = static_cast<rlim_t>(LowestFree() + 60);
  SetSoftLimit(soft);
  EXPECT_EQ(DescriptorLimit(), soft);
  int first = FillToCeiling();
  EXPECT_EQ(static_cast<uint64_t>(first), soft - DescriptorReserve(soft));
  // Every descriptor below it is in use, the reserve above it is not.
  int more = 0;
  while (true) {
    int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd < 0) break;
    opened_.push_back(fd);
    ++more;
  }
  EXPECT_EQ(static_cast<uint64_t>(more) + 1, DescriptorReserve(soft));
}

TEST_F(DescriptorLimitTest,
       ConnectingWithinTheReserveIsRefusedAndLeaksNothing) {
  SetSoftLimit(static_cast<rlim_t>(LowestFree() + 60));
  ASSERT_GE(FillToCeiling(), 0);
  int lowest = LowestFree();
  absl::StatusOr<int> fd = StartConnect("127.0.0.1", 9);
  ASSERT_FALSE(fd.ok());
  EXPECT_TRUE(absl::IsResourceExhausted(fd.status())) << fd.status();
  EXPECT_EQ(LowestFree(), lowest);
}

TEST_F(DescriptorLimitTest, RaiseDescriptorLimitLiftsTheSoftLimitToTheHard) {
  if (saved_.rlim_max == RLIM_INFINITY || saved_.rlim_max < 64) {
    GTEST_SKIP() << "needs a finite hard limit of at least 64";
  }
  SetSoftLimit(saved_.rlim_max / 2);
  EXPECT_EQ(RaiseDescriptorLimit(), saved_.rlim_max);
  rlimit now{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &now), 0);
  EXPECT_EQ(now.rlim_cur, saved_.rlim_max);
}

}  // namespace
}  // namespace xmppfed::edge::net
