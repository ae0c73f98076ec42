#include "cli/input/csv_record_reader.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "xmppfed/v1/utf8.h"

namespace xmppfed::cli {
namespace {

// A row as read: its fields (those past the header's count are counted, not
// kept), where it started, and the first problem in it that still let the
// row be delimited.
struct Row {
  std::vector<std::string> fields;
  std::size_t field_count = 0;
  std::uint64_t line = 0;
  // Bytes of field text kept so far; past the limit nothing more is kept.
  std::size_t bytes = 0;
  bool too_large = false;
  std::string error;
};

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           auto lower = [](char c) {
             return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
           };
           return lower(x) == lower(y);
         });
}

// Where the text of a field ends up in the input, from where it starts:
// code points count one column, a newline starts a line, and (in a quoted
// field) a quote stood there doubled.
TextPosition Advance(TextPosition at, std::string_view text, bool quoted) {
  for (char c : text) {
    if (c == '\n') {
      ++at.line;
      at.column = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      at.column += quoted && c == '"' ? 2 : 1;
    }
  }
  return at;
}

class CsvReader : public RecordReader {
 public:
  CsvReader(std::unique_ptr<TextSource> source,
            const RecordReaderOptions& options)
      : RecordReader(std::move(source), InputFormat::kCsv),
        columns_(options.csv_columns),
        delimiter_(options.csv_delimiter),
        max_bytes_(options.max_record_bytes) {}

  bool Next(InputRecord* record) override {
    if (!fatal_error_.empty()) return false;
    if (header_.empty() && !ReadHeader()) return false;
    Row row;
    while (true) {
      if (!ReadRow(row)) return false;
      if (!IsBlankRow(row)) break;
    }
    *record = InputRecord();
    record->line = row.line;
    record->error = row.error;
    if (record->error.empty() && row.too_large) {
      record->error =
          "the record is larger than " + std::to_string(max_bytes_) + " bytes";
    }
    if (record->error.empty() && row.field_count != header_.size()) {
      record->error = std::to_string(row.field_count) + " fields; the " +
                      "header has " + std::to_string(header_.size());
    }
    // Even a row in error names its partner when it can.
    record->object.kind = JsonValue::Kind::kObject;
    for (std::size_t i = 0; i < header_.size() && i < row.fields.size(); ++i) {
      JsonValue cell;
      cell.kind = JsonValue::Kind::kCsvCell;
      cell.text = std::move(row.fields[i]);
      record->object.keys.push_back(header_[i]);
      record->object.items.push_back(std::move(cell));
    }
    return true;
  }

 private:
  static constexpr int kFatal = -2;

  static bool IsBlankRow(const Row& row) {
    return row.error.empty() && row.field_count == 1 && row.fields[0].empty();
  }

  // A UTF-8 byte order mark is skipped; one of UTF-16 (Export-Csv
  // -Encoding Unicode) is named, with what to do.
  void SkipByteOrderMark() {
    int first = source_->Peek();
    if (first == 0xFF || first == 0xFE) {
      fatal_error_ =
          "line 1, column 1: the file is UTF-16, not UTF-8; export it again "
          "with Export-Csv -Encoding UTF8 (or convert it, e.g. iconv -f "
          "UTF-16 -t UTF-8)";
      return;
    }
    if (first != 0xEF) return;
    source_->Get();
    if (source_->Get() != 0xBB || source_->Get() != 0xBF) {
      fatal_error_ = "line 1, column 1: not UTF-8 text";
    }
  }

  // PowerShell's Export-Csv starts with "#TYPE <the .NET type>" (Windows
  // PowerShell, or -IncludeTypeInformation): not a row.
  void SkipTypeLine() {
    static constexpr std::string_view kType = "#TYPE";
    if (source_->Peek() != '#') return;
    std::string start;
    while (start.size() < kType.size() && source_->Peek() != '\n' &&
           source_->Peek() != TextSource::kEnd) {
      start.push_back(static_cast<char>(source_->Get()));
    }
    if (start != kType) {
      fatal_error_ =
          "line 1: the header starts with '#'; only PowerShell's \"#TYPE\" "
          "line may come before it";
      return;
    }
    for (int c = source_->Get(); c != '\n' && c != TextSource::kEnd;
         c = source_->Get()) {
    }
  }

  bool ReadHeader() {
    SkipByteOrderMark();
    if (fatal_error_.empty()) SkipTypeLine();
    if (!fatal_error_.empty()) return false;
    Row row;
    do {
      if (!ReadRow(row)) {
        if (fatal_error_.empty()) {
          fatal_error_ = "the input is empty; CSV needs a header row";
        }
        return false;
      }
    } while (IsBlankRow(row));
    std::string where = "line " + std::to_string(row.line) + ": ";
    if (!row.error.empty()) return Fatal(where + "header: " + row.error);
    if (row.too_large || row.field_count > row.fields.size()) {
      return Fatal(where + "the header is longer than any partner's columns");
    }
    for (const std::string& name : row.fields) {
      auto known = std::find_if(columns_.begin(), columns_.end(),
                                [&](std::string_view column) {
                                  return EqualsIgnoringCase(column, name);
                                });
      if (known == columns_.end()) {
        return Fatal(where + "unknown column '" + name +
                     "'; the columns are the JSON keys of a partner (any "
                     "letter case): " +
                     ColumnList() + DelimiterHint(name));
      }
      std::string column(*known);
      if (std::find(header_.begin(), header_.end(), column) != header_.end()) {
        return Fatal(where + "column '" + name + "' appears twice");
      }
      header_.push_back(std::move(column));
    }
    if (std::find(header_.begin(), header_.end(), "identity") ==
        header_.end()) {
      header_.clear();
      return Fatal(where + "no 'identity' column");
    }
    return true;
  }

  // When the header was not split, its one name holds the real delimiter.
  std::string DelimiterHint(const std::string& name) const {
    for (char other : {',', ';', '\t'}) {
      if (other != delimiter_ && name.find(other) != std::string::npos) {
        return DelimiterAdvice(other);
      }
    }
    return "";
  }

  // "" unless `c` is another delimiter this reader could have been given.
  std::string DelimiterAdvice(int c) const {
    if (c == delimiter_ || (c != ',' && c != ';' && c != '\t')) return "";
    return std::string("; the fields seem separated by ") +
           (c == '\t' ? "tabs"
                      : std::string("'") + static_cast<char>(c) + "'") +
           ": pass --delimiter " +
           (c == '\t' ? std::string("tab")
                      : std::string(1, static_cast<char>(c)));
  }

  std::string ColumnList() const {
    std::string list;
    for (std::string_view column : columns_) {
      if (!list.empty()) list += ", ";
      list += column;
    }
    return list;
  }

  // False at the end of the input (no row) or on a fatal error.
  bool ReadRow(Row& row) {
    row = Row();
    if (source_->Peek() == TextSource::kEnd) return false;
    row.line = source_->position().line;
    while (true) {
      std::string field;
      TextPosition start = source_->position();
      bool quoted = source_->Peek() == '"';
      int end = quoted ? QuotedField(row, field) : PlainField(row, field);
      if (end == kFatal) return false;
      CheckUtf8(row, field, start, quoted);
      // Past the header's count, fields are only counted (and a header
      // longer than every column cannot be one).
      std::size_t kept = header_.empty() ? columns_.size() + 1 : header_.size();
      if (row.fields.size() < kept) {
        row.fields.push_back(std::move(field));
      }
      ++row.field_count;
      if (end != delimiter_) return true;
      source_->Get();
    }
  }

  // Keeps one byte of a field, unless the row is already over the limit.
  void Keep(Row& row, std::string& field, int c) {
    if (row.bytes >= max_bytes_) {
      row.too_large = true;
      return;
    }
    ++row.bytes;
    field.push_back(static_cast<char>(c));
  }

  void CheckUtf8(Row& row, const std::string& field, TextPosition start,
                 bool quoted) {
    std::size_t bad = v1::FindInvalidUtf8(field);
    if (bad == std::string::npos || !row.error.empty()) return;
    if (quoted) ++start.column;
    TextPosition at =
        Advance(start, std::string_view(field).substr(0, bad), quoted);
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X",
                  static_cast<unsigned char>(field[bad]));
    row.error = DescribePosition(at) + ": not valid UTF-8 (byte " + byte +
                "); save the file as UTF-8";
  }

  // Returns what ended the field: the delimiter, '\n' or TextSource::kEnd
  // (the newline is consumed, the delimiter is not).
  int PlainField(Row& row, std::string& field) {
    while (true) {
      int c = source_->Peek();
      if (c == delimiter_) return c;
      if (c == TextSource::kEnd) return c;
      source_->Get();
      if (c == '\n') {
        if (!field.empty() && field.back() == '\r') field.pop_back();
        return '\n';
      }
      if (c == '"' && row.error.empty()) {
        row.error = "column " + std::to_string(source_->position().column - 1) +
                    ": a quote inside an unquoted field; quote the whole "
                    "field and double the quote (\"\")";
      }
      Keep(row, field, c);
    }
  }

  int QuotedField(Row& row, std::string& field) {
    TextPosition opened = source_->position();
    source_->Get();  // '"'
    while (true) {
      int c = source_->Get();
      if (c == TextSource::kEnd) {
        fatal_error_ =
            DescribePosition(opened) + ": a quoted field is never closed";
        return kFatal;
      }
      if (c != '"') {
        Keep(row, field, c);
        continue;
      }
      if (source_->Peek() == '"') {
        source_->Get();
        Keep(row, field, '"');
        continue;
      }
      break;
    }
    // After the closing quote: the end of the field, or a stray text that
    // is kept (as plain text) but makes the row an error.
    if (source_->Peek() == '\r') source_->Get();
    int next = source_->Peek();
    if (next == delimiter_ || next == TextSource::kEnd) return next;
    if (next == '\n') {
      source_->Get();
      return '\n';
    }
    if (row.error.empty()) {
      row.error = "column " + std::to_string(source_->position().column) +
                  ": text after a closing quote; inside a quoted field a "
                  "quote is written twice (\"\")" +
                  DelimiterAdvice(next);
    }
    return PlainField(row, field);
  }

  std::span<const std::string_view> columns_;
  char delimiter_;
  std::size_t max_bytes_;
  std::vector<std::string> header_;
};

}  // namespace

std::unique_ptr<RecordReader> MakeCsvReader(
    std::unique_ptr<TextSource> source, const RecordReaderOptions& options) {
  return std::make_unique<CsvReader>(std::move(source), options);
}

}  // namespace xmppfed::cli
