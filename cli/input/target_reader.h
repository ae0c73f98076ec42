// The targets of pipeline input (SPEC §7: set-partner -, remove-partner -,
// test-partner -, get-partner -), read from a file descriptor a line at a
// time as they arrive, so the targets of a pipe go out while its writer is
// still writing and no input is ever held whole. A line is either an
// identity or an NDJSON object, as `get-partner -o ndjson` prints it, whose
// "identity" is the target. Blank lines and lines starting with '#' are
// skipped; a line is at most kMaxNdjsonLineBytes.
#ifndef XMPPFED_CLI_INPUT_TARGET_READER_H_
#define XMPPFED_CLI_INPUT_TARGET_READER_H_

#include <chrono>
#include <cstdint>
#include <string>

#include "cli/input/json_value.h"

namespace xmppfed::cli {

struct InputTarget {
  // The input line, from 1 (blank and comment lines counted).
  std::uint64_t line = 0;
  // As given ("" when the line could not be read).
  std::string identity;
  // The whole NDJSON object; null for a line that is a bare identity.
  JsonValue object;
  // Set when the line could not be read: invalid JSON, not an object, no
  // identity string, too long.
  std::string error;
};

class TargetReader {
 public:
  // Reads `fd`, which it does not own. With `copy_fd` >= 0 every byte read
  // is also written there (a spool to read the same input again).
  explicit TargetReader(int fd, int copy_fd = -1);

  // The next target; false at the end of the input, or when reading (or
  // copying) failed: error() then says why.
  bool Next(InputTarget* target);

  // True when Next can go on without waiting for the writer: a whole line
  // is buffered, the input ended, or data arrives within `wait`.
  bool Ready(std::chrono::milliseconds wait);

  const std::string& error() const { return error_; }

 private:
  // Reads once more into the buffer; false at the end or on an error.
  bool Fill();
  // The next line without its ending into `line`; false at the end.
  bool NextLine(std::string* line, bool* too_long);

  int fd_;
  int copy_fd_;
  std::string buffer_;
  std::size_t start_ = 0;  // the next line's first byte in buffer_
  bool ended_ = false;
  std::uint64_t line_ = 0;
  std::string error_;
};

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_INPUT_TARGET_READER_H_
