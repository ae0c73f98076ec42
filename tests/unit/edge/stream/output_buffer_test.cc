// OutputBuffer: order across chunks, consuming from the front, the runs
// handed to sendmsg, and the stable front an SSL_write retry needs.
#include "agent/edge/stream/output_buffer.h"

#include <gtest/gtest.h>

#include <string>

namespace xmppfed::edge {
namespace {

constexpr size_t kChunk = OutputBuffer::kChunkBytes;

// Distinct bytes, so a misplaced run shows.
std::string Pattern(size_t size, char seed) {
  std::string text(size, '\0');
  for (size_t i = 0; i < size; ++i) text[i] = static_cast<char>(seed + i % 23);
  return text;
}

std::string Contents(const OutputBuffer& buffer) {
  iovec iov[64];
  size_t runs = buffer.Gather(iov, 64);
  std::string all;
  for (size_t i = 0; i < runs; ++i) {
    all.append(static_cast<const char*>(iov[i].iov_base), iov[i].iov_len);
  }
  return all;
}

TEST(OutputBufferTest, EmptyHasNoFrontAndNoRuns) {
  OutputBuffer buffer;
  iovec iov[4];
  EXPECT_TRUE(buffer.empty());
  EXPECT_EQ(buffer.size(), 0u);
  EXPECT_TRUE(buffer.Front().empty());
  EXPECT_EQ(buffer.Gather(iov, 4), 0u);
}

TEST(OutputBufferTest, AppendsKeepTheirOrderAcrossChunks) {
  OutputBuffer buffer;
  std::string a = Pattern(10000, 'a'), b = Pattern(kChunk + 5, 'K'),
              c = Pattern(3, '0');
  buffer.Append(a);
  buffer.Append(b);
  buffer.Append(c);
  EXPECT_EQ(buffer.size(), a.size() + b.size() + c.size());
  EXPECT_EQ(Contents(buffer), a + b + c);
  // Front is the first chunk, filled to the brim before the next one.
  EXPECT_EQ(buffer.Front(), (a + b).substr(0, kChunk));
}

TEST(OutputBufferTest, ConsumeDropsThePrefixAndKeepsTheRest) {
  OutputBuffer buffer;
  std::string all = Pattern(3 * kChunk + 100, 'x');
  buffer.Append(all);
  buffer.Consume(10);
  EXPECT_EQ(Contents(buffer), all.substr(10));
  buffer.Consume(kChunk);  // across a chunk boundary
  EXPECT_EQ(Contents(buffer), all.substr(10 + kChunk));
  EXPECT_EQ(buffer.Front(), all.substr(10 + kChunk, kChunk - 10));
  buffer.Consume(2 * kChunk - 10);  // exactly to a chunk's end
  EXPECT_EQ(Contents(buffer), all.substr(3 * kChunk));
  buffer.Consume(1000);  // more than queued
  EXPECT_TRUE(buffer.empty());
  EXPECT_TRUE(buffer.Front().empty());
  buffer.Append("after");
  EXPECT_EQ(Contents(buffer), "after");
}

TEST(OutputBufferTest, GatherStopsAtMaxRuns) {
  OutputBuffer buffer;
  std::string all = Pattern(5 * kChunk, 'q');
  buffer.Append(all);
  iovec iov[2];
  ASSERT_EQ(buffer.Gather(iov, 2), 2u);
  EXPECT_EQ(iov[0].iov_len, kChunk);
  EXPECT_EQ(iov[1].iov_len, kChunk);
  EXPECT_EQ(std::string(static_cast<const char*>(iov[1].iov_base), kChunk),
            all.substr(kChunk, kChunk));
}

TEST(OutputBufferTest, FrontKeepsItsAddressAndOnlyGrowsUntilConsumed) {
  OutputBuffer buffer;
  buffer.Append("<message/>");
  std::string_view before = buffer.Front();
  buffer.Append(Pattern(2 * kChunk, 'm'));
  std::string_view after = buffer.Front();
  EXPECT_EQ(after.data(), before.data());
  EXPECT_EQ(after.size(), kChunk);
  EXPECT_EQ(after.substr(0, before.size()), "<message/>");
}

TEST(OutputBufferTest, ClearEmptiesEverything) {
  OutputBuffer buffer;
  buffer.Append(Pattern(3 * kChunk, 'c'));
  buffer.Clear();
  EXPECT_TRUE(buffer.empty());
  EXPECT_EQ(Contents(buffer), "");
  buffer.Append("x");
  EXPECT_EQ(Contents(buffer), "x");
}

}  // namespace
}  // namespace xmppfed::edge
