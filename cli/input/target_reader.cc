#include "cli/input/target_reader.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cli/input/json_record_readers.h"

namespace xmppfed::cli {
namespace {

constexpr std::size_t kReadBytes = 64 * 1024;

std::string Trim(const std::string& text) {
  std::size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  std::size_t last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

bool WriteAll(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    ssize_t written = ::write(fd, data, size);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    data += written;
    size -= static_cast<std::size_t>(written);
  }
  return true;
}

}  // namespace

TargetReader::TargetReader(int fd, int copy_fd) : fd_(fd), copy_fd_(copy_fd) {}

bool TargetReader::Fill() {
  if (ended_ || !error_.empty()) return false;
  if (start_ > 0) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  std::size_t old_size = buffer_.size();
  buffer_.resize(old_size + kReadBytes);
  ssize_t got;
  do {
    got = ::read(fd_, buffer_.data() + old_size, kReadBytes);
  } while (got < 0 && errno == EINTR);
  buffer_.resize(old_size + static_cast<std::size_t>(got > 0 ? got : 0));
  if (got < 0) {
    error_ = std::string("cannot read stdin: ") + std::strerror(errno);
    return false;
  }
  if (got == 0) {
    ended_ = true;
    return false;
  }
  if (copy_fd_ >= 0 && !WriteAll(copy_fd_, buffer_.data() + old_size,
                                 static_cast<std::size_t>(got))) {
    error_ =
        std::string("cannot keep a copy of stdin: ") + std::strerror(errno);
    return false;
  }
  return true;
}

bool TargetReader::NextLine(std::string* line, bool* too_long) {
  *too_long = false;
  // How far past start_ there is no line ending (Fill moves start_).
  std::size_t searched = 0;
  while (true) {
    std::size_t end = buffer_.find('\n', start_ + searched);
    if (end != std::string::npos) {
      if (end - start_ > kMaxNdjsonLineBytes) *too_long = true;
      if (!*too_long) line->assign(buffer_, start_, end - start_);
      start_ = end + 1;
      return true;
    }
    if (buffer_.size() - start_ > kMaxNdjsonLineBytes) {
      // Too long to be a target: dropped, up to its end.
      *too_long = true;
      buffer_.clear();
      start_ = 0;
    }
    searched = buffer_.size() - start_;
    if (!Fill()) {
      if (!error_.empty()) return false;
      if (start_ == buffer_.size() && !*too_long) return false;
      // The last line has no line ending.
      if (buffer_.size() - start_ > kMaxNdjsonLineBytes) *too_long = true;
      if (!*too_long) line->assign(buffer_, start_, std::string::npos);
      start_ = buffer_.size();
      return true;
    }
  }
}

bool TargetReader::Next(InputTarget* target) {
  std::string line;
  bool too_long = false;
  while (NextLine(&line, &too_long)) {
    ++line_;
    if (too_long) {
      *target = InputTarget();
      target->line = line_;
      target->error = "the line is longer than " +
                      std::to_string(kMaxNdjsonLineBytes) + " bytes";
      return true;
    }
    std::string text = Trim(line);
    if (text.empty() || text.front() == '#') continue;
    *target = InputTarget();
    target->line = line_;
    if (text.front() != '{') {
      target->identity = std::move(text);
      return true;
    }
    InputRecord record;
    ParseNdjsonLine(text, &record);
    if (!record.error.empty()) {
      target->error = std::move(record.error);
      return true;
    }
    const JsonValue* identity = record.object.Find("identity");
    if (identity == nullptr || identity->kind == JsonValue::Kind::kNull) {
      target->error =
          "identity: missing; an NDJSON target needs the "
          "partner's identity";
    } else if (identity->kind != JsonValue::Kind::kString) {
      target->error = "identity=(" + std::string(KindName(identity->kind)) +
                      "): must be a string";
    } else {
      target->identity = identity->text;
    }
    target->object = std::move(record.object);
    return true;
  }
  return false;
}

bool TargetReader::Ready(std::chrono::milliseconds wait) {
  if (ended_ || !error_.empty()) return true;
  if (buffer_.find('\n', start_) != std::string::npos) return true;
  pollfd readable{fd_, POLLIN, 0};
  int polled;
  do {
    polled = ::poll(&readable, 1, static_cast<int>(wait.count()));
  } while (polled < 0 && errno == EINTR);
  return polled != 0;
}

}  // namespace xmppfed::cli
