#include "cli/input/text_source.h"

namespace xmppfed::cli {

std::string DescribePosition(const TextPosition& position) {
  return "line " + std::to_string(position.line) + ", column " +
         std::to_string(position.column);
}

int TextSource::PeekPastSpace() {
  if (Peek() == kEnd) return kEnd;
  for (std::size_t i = next_; i < end_; ++i) {
    char c = buffer_[i];
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      return static_cast<unsigned char>(c);
    }
  }
  return kEnd;
}

bool TextSource::Fill() {
  consumed_before_ += end_;
  next_ = 0;
  end_ = 0;
  if (!in_) return false;
  in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  end_ = static_cast<std::size_t>(in_.gcount());
  return end_ > 0;
}

}  // namespace xmppfed::cli
