// Characters of an input stream, read in blocks, with the position of the
// next character for error messages: line from 1, column from 1 counted in
// UTF-8 code points (what an editor shows).
#ifndef XMPPFED_CLI_INPUT_TEXT_SOURCE_H_
#define XMPPFED_CLI_INPUT_TEXT_SOURCE_H_

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace xmppfed::cli {

struct TextPosition {
  std::uint64_t line = 1;
  std::uint64_t column = 1;
};

// "line 3, column 14"
std::string DescribePosition(const TextPosition& position);

class TextSource {
 public:
  static constexpr int kEnd = -1;

  explicit TextSource(std::istream& in) : in_(in), buffer_(64 * 1024) {}

  // The next byte (0..255) without consuming it, or kEnd.
  int Peek() {
    if (next_ == end_ && !Fill()) return kEnd;
    return static_cast<unsigned char>(buffer_[next_]);
  }
  // Consumes and returns the next byte, or kEnd.
  int Get() {
    int c = Peek();
    if (c == kEnd) return c;
    ++next_;
    if (c == '\n') {
      ++position_.line;
      position_.column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++position_.column;
    }
    return c;
  }

  // The first byte that is not JSON white space, looking ahead at most one
  // block without consuming anything; kEnd when there is none in it.
  int PeekPastSpace();

  const TextPosition& position() const { return position_; }
  // Bytes consumed so far (for progress).
  std::uint64_t bytes_read() const { return consumed_before_ + next_; }

 private:
  bool Fill();

  std::istream& in_;
  std::vector<char> buffer_;
  std::size_t next_ = 0;
  std::size_t end_ = 0;
  std::uint64_t consumed_before_ = 0;
  TextPosition position_;
};

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_INPUT_TEXT_SOURCE_H_
