// The records of import-partners, read one at a time from CSV, NDJSON or a
// JSON array, so that no input is ever held whole. Two kinds of error:
//
// * a record-level error (a line of invalid JSON, a CSV row with the wrong
//   number of fields): the record comes back with `error` set, and reading
//   goes on with the next one;
// * a fatal error (an unterminated CSV quote, a JSON array that breaks off,
//   an unknown CSV column): Next returns false and fatal_error() says where
//   ("line L, column C: what"); nothing after it can be read.
#ifndef XMPPFED_CLI_INPUT_RECORD_READER_H_
#define XMPPFED_CLI_INPUT_RECORD_READER_H_

#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "cli/input/json_value.h"

namespace xmppfed::cli {

enum class InputFormat { kCsv, kNdjson, kJson };

// "csv", "ndjson", "json" -> the format; nullopt otherwise.
std::optional<InputFormat> ParseInputFormat(std::string_view name);
// From a file name's extension: .csv, .ndjson/.jsonl, .json (any case).
std::optional<InputFormat> FormatFromFileName(std::string_view file_name);

struct InputRecord {
  // Where the record starts: the input's line from 1, counted as an editor
  // does (a CSV header and a #TYPE line included), per SPEC §5.
  std::uint64_t line = 0;
  // An object: JSON members, or CSV cells (Kind::kCsvCell) under the
  // header's names.
  JsonValue object;
  // Set when the record could not be read; `object` is then incomplete.
  std::string error;
};

class RecordReader {
 public:
  virtual ~RecordReader() = default;
  // The next record; false at the end of the input or on a fatal error.
  virtual bool Next(InputRecord* record) = 0;
  const std::string& fatal_error() const { return fatal_error_; }
  // Bytes of input consumed so far (for progress).
  std::uint64_t bytes_read() const { return source_->bytes_read(); }
  InputFormat format() const { return format_; }

 protected:
  RecordReader(std::unique_ptr<TextSource> source, InputFormat format)
      : source_(std::move(source)), format_(format) {}
  bool Fatal(std::string error) {
    fatal_error_ = std::move(error);
    return false;
  }

  std::unique_ptr<TextSource> source_;
  InputFormat format_;
  std::string fatal_error_;
};

// A record larger than this (its text, or what it would take in memory) is
// refused without being held whole: however long a line or a field, a
// reader's memory stays within a few times this bound.
inline constexpr std::size_t kMaxRecordBytes = 1 << 20;

struct RecordReaderOptions {
  // The column names a CSV header may use, in any letter case (so the
  // PascalCase headers of PowerShell's Export-Csv match); a record's keys
  // are these spellings. Other names are a fatal error. Among them
  // "identity". The JSON formats' keys are the caller's to check, per
  // record.
  std::span<const std::string_view> csv_columns;
  // ',', ';' or '\t' (--delimiter).
  char csv_delimiter = ',';
  std::size_t max_record_bytes = kMaxRecordBytes;
};

// A reader of `in` in `format`; without a format, the first character that
// is not white space decides ('[' JSON, '{' NDJSON, anything else CSV).
// Text that is not UTF-8 makes its record an error naming its line and
// column.
std::unique_ptr<RecordReader> MakeRecordReader(
    std::optional<InputFormat> format, std::istream& in,
    const RecordReaderOptions& options);
// With the default options and these CSV columns.
std::unique_ptr<RecordReader> MakeRecordReader(
    std::optional<InputFormat> format, std::istream& in,
    std::span<const std::string_view> csv_columns);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_INPUT_RECORD_READER_H_
