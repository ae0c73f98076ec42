#include "agent/runtime/memory_returner.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <thread>
#include <vector>

namespace xmppfed::runtime {
namespace {

// Resident pages of this process, in bytes.
size_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * static_cast<size_t>(::sysconf(_SC_PAGESIZE));
}

// Allocates `bytes` in chunks small enough to come from the heap (not their
// own mappings), touches them, and frees all but the last: that one keeps
// the heap's top where it is, as a live stream's buffers would, so free()
// cannot hand the rest back by itself. The caller frees it.
std::unique_ptr<char, decltype(&std::free)> AllocateAndFree(size_t bytes) {
  std::vector<char*> chunks;
  for (size_t total = 0; total < bytes; total += 512) {
    char* chunk = static_cast<char*>(std::malloc(512));
    chunk[0] = chunk[511] = 1;
    chunks.push_back(chunk);
  }
  char* last = chunks.back();
  chunks.pop_back();
  for (char* chunk : chunks) std::free(chunk);
  return {last, &std::free};
}

class MemoryReturnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
#ifdef XMPPFED_SANITIZED_BUILD
    GTEST_SKIP() << "the sanitizers' allocator has no malloc_trim";
#endif
  }
};

TEST_F(MemoryReturnerTest, FreedMemoryAboveTheThresholdGoesBack) {
  MemoryReturner returner(
      {.interval = absl::Hours(1), .threshold_bytes = size_t{16} << 20});
  auto pin = AllocateAndFree(size_t{96} << 20);
  size_t held = ResidentBytes();
  EXPECT_GT(returner.ReturnIfGrown(), size_t{16} << 20);
  EXPECT_LT(ResidentBytes() + (size_t{48} << 20), held)
      << "resident " << held << " before the trim, " << ResidentBytes()
      << " after";
  // Nothing more was freed since: no second trim.
  EXPECT_EQ(returner.ReturnIfGrown(), 0u);
}

TEST_F(MemoryReturnerTest, BelowTheThresholdNothingIsTrimmed) {
  MemoryReturner returner(
      {.interval = absl::Hours(1), .threshold_bytes = size_t{512} << 20});
  auto pin = AllocateAndFree(size_t{32} << 20);
  EXPECT_EQ(returner.ReturnIfGrown(), 0u);
}

TEST_F(MemoryReturnerTest, TheThreadTrimsOnItsOwn) {
  MemoryReturner returner({.interval = absl::Milliseconds(10),
                           .threshold_bytes = size_t{16} << 20});
  size_t baseline = ResidentBytes();
  // Without a trim, ~100 MiB stay resident after this.
  auto pin = AllocateAndFree(size_t{96} << 20);
  auto end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (ResidentBytes() > baseline + (size_t{32} << 20) &&
         std::chrono::steady_clock::now() < end) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_LE(ResidentBytes(), baseline + (size_t{32} << 20))
      << "resident " << baseline << " before";
}

}  // namespace
}  // namespace xmppfed::runtime
