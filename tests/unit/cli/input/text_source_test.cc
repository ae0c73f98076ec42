// TextSource: bytes in blocks, positions in lines and UTF-8 code points.
#include "cli/input/text_source.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace xmppfed::cli {
namespace {

TEST(TextSourceTest, PeekDoesNotConsumeAndGetAdvancesThePosition) {
  std::istringstream in("ab\ncd");
  TextSource source(in);
  EXPECT_EQ(source.Peek(), 'a');
  EXPECT_EQ(source.Peek(), 'a');
  EXPECT_EQ(source.position().column, 1u);
  EXPECT_EQ(source.Get(), 'a');
  EXPECT_EQ(source.Get(), 'b');
  EXPECT_EQ(DescribePosition(source.position()), "line 1, column 3");
  EXPECT_EQ(source.Get(), '\n');
  EXPECT_EQ(DescribePosition(source.position()), "line 2, column 1");
  EXPECT_EQ(source.Get(), 'c');
  EXPECT_EQ(source.Get(), 'd');
  EXPECT_EQ(source.Get(), TextSource::kEnd);
  EXPECT_EQ(source.Peek(), TextSource::kEnd);
  EXPECT_EQ(source.bytes_read(), 5u);
}

TEST(TextSourceTest, ColumnsCountCodePointsNotBytes) {
  std::istringstream in("é€😀x");  // 2 + 3 + 4 bytes, then 'x'
  TextSource source(in);
  while (source.Peek() != 'x') source.Get();
  EXPECT_EQ(source.position().column, 4u);
  EXPECT_EQ(source.bytes_read(), 9u);
  EXPECT_EQ(source.Get(), 'x');
}

TEST(TextSourceTest, BytesAbove127ComeBackAsUnsigned) {
  std::istringstream in("\xff");
  TextSource source(in);
  EXPECT_EQ(source.Get(), 0xff);
}

TEST(TextSourceTest, ReadsAcrossBlocks) {
  std::string text(200 * 1024, 'a');
  text += "\nz";
  std::istringstream in(text);
  TextSource source(in);
  int c;
  std::size_t count = 0;
  while ((c = source.Get()) != TextSource::kEnd) ++count;
  EXPECT_EQ(count, text.size());
  EXPECT_EQ(source.bytes_read(), text.size());
  EXPECT_EQ(DescribePosition(source.position()), "line 2, column 2");
}

TEST(TextSourceTest, PeekPastSpaceLooksAheadWithoutConsuming) {
  std::istringstream in(" \t\r\n  [1]");
  TextSource source(in);
  EXPECT_EQ(source.PeekPastSpace(), '[');
  EXPECT_EQ(source.Peek(), ' ');
  EXPECT_EQ(source.bytes_read(), 0u);

  std::istringstream blank("  \n\t");
  TextSource only_space(blank);
  EXPECT_EQ(only_space.PeekPastSpace(), TextSource::kEnd);

  std::istringstream empty("");
  TextSource nothing(empty);
  EXPECT_EQ(nothing.PeekPastSpace(), TextSource::kEnd);
}

}  // namespace
}  // namespace xmppfed::cli
