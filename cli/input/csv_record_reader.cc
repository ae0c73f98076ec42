#include "cli/input/csv_record_reader.h"

#include <algorithm>
#include <string>
#include <vector>

namespace xmppfed::cli {
namespace {

// A row as read: its fields, where it started, and the first problem in it
// that still let the row be delimited.
struct Row {
  std::vector<std::string> fields;
  std::uint64_t line = 0;
  std::string error;
};

class CsvReader : public RecordReader {
 public:
  CsvReader(std::unique_ptr<TextSource> source,
            std::span<const std::string_view> columns)
      : RecordReader(std::move(source), InputFormat::kCsv), columns_(columns) {}

  bool Next(InputRecord* record) override {
    if (!fatal_error_.empty()) return false;
    if (header_.empty() && !ReadHeader()) return false;
    Row row;
    while (true) {
      if (!ReadRow(row)) return false;
      if (!IsBlankRow(row)) break;
    }
    *record = InputRecord();
    record->line = row.line - header_line_;
    record->error = row.error;
    if (record->error.empty() && row.fields.size() != header_.size()) {
      record->error = std::to_string(row.fields.size()) + " fields; the " +
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
  static bool IsBlankRow(const Row& row) {
    return row.error.empty() && row.fields.size() == 1 && row.fields[0].empty();
  }

  void SkipByteOrderMark() {
    if (source_->Peek() != 0xEF) return;
    source_->Get();
    if (source_->Get() != 0xBB || source_->Get() != 0xBF) {
      fatal_error_ = "line 1, column 1: not UTF-8 text";
    }
  }

  bool ReadHeader() {
    SkipByteOrderMark();
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
    header_line_ = row.line;
    std::string where = "line " + std::to_string(row.line) + ": ";
    if (!row.error.empty()) return Fatal(where + "header: " + row.error);
    for (const std::string& name : row.fields) {
      if (std::find(columns_.begin(), columns_.end(), name) == columns_.end()) {
        return Fatal(
            where + "unknown column '" + name +
            "'; the columns are the JSON keys of a partner: " + ColumnList());
      }
      if (std::find(header_.begin(), header_.end(), name) != header_.end()) {
        return Fatal(where + "column '" + name + "' appears twice");
      }
      header_.push_back(name);
    }
    if (std::find(header_.begin(), header_.end(), "identity") ==
        header_.end()) {
      header_.clear();
      return Fatal(where + "no 'identity' column");
    }
    return true;
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
      int end = source_->Peek() == '"' ? QuotedField(row, field)
                                       : PlainField(row, field);
      if (end == kFatal) return false;
      row.fields.push_back(std::move(field));
      if (end != ',') return true;
      source_->Get();
    }
  }

  static constexpr int kFatal = -2;

  // Returns what ended the field: ',', '\n' or TextSource::kEnd (the
  // newline is consumed, the comma is not).
  int PlainField(Row& row, std::string& field) {
    while (true) {
      int c = source_->Peek();
      if (c == ',') return c;
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
      field.push_back(static_cast<char>(c));
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
        field.push_back(static_cast<char>(c));
        continue;
      }
      if (source_->Peek() == '"') {
        source_->Get();
        field.push_back('"');
        continue;
      }
      break;
    }
    // After the closing quote: the end of the field, or a stray text that
    // is kept (as plain text) but makes the row an error.
    if (source_->Peek() == '\r') source_->Get();
    int next = source_->Peek();
    if (next == ',' || next == TextSource::kEnd) return next;
    if (next == '\n') {
      source_->Get();
      return '\n';
    }
    if (row.error.empty()) {
      row.error = "column " + std::to_string(source_->position().column) +
                  ": text after a closing quote; inside a quoted field a "
                  "quote is written twice (\"\")";
    }
    return PlainField(row, field);
  }

  std::span<const std::string_view> columns_;
  std::vector<std::string> header_;
  std::uint64_t header_line_ = 0;
};

}  // namespace

std::unique_ptr<RecordReader> MakeCsvReader(
    std::unique_ptr<TextSource> source,
    std::span<const std::string_view> columns) {
  return std::make_unique<CsvReader>(std::move(source), columns);
}

}  // namespace xmppfed::cli
