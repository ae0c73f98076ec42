#include "cli/output/writer.h"

#include <utility>

#include "cli/output/csv.h"
#include "cli/output/json.h"

namespace xmppfed::cli {
namespace {

class JsonArrayWriter : public RecordWriter {
 public:
  explicit JsonArrayWriter(std::ostream& out) : out_(out) {}

  void Write(const Record& record) override {
    out_ << (count_++ == 0 ? "[\n  " : ",\n  ") << PrettyJson(record, 1);
  }
  void Finish() override {
    out_ << (count_ == 0 ? "[]\n" : "\n]\n");
    out_.flush();
  }

 private:
  std::ostream& out_;
  std::size_t count_ = 0;
};

class JsonObjectWriter : public RecordWriter {
 public:
  explicit JsonObjectWriter(std::ostream& out) : out_(out) {}

  void Write(const Record& record) override {
    out_ << PrettyJson(record) << '\n';
  }
  void Finish() override { out_.flush(); }

 private:
  std::ostream& out_;
};

class NdjsonWriter : public RecordWriter {
 public:
  explicit NdjsonWriter(std::ostream& out) : out_(out) {}

  void Write(const Record& record) override {
    out_ << CompactJson(record) << '\n';
  }
  void Finish() override { out_.flush(); }

 private:
  std::ostream& out_;
};

// Header from the layout's keys, or (for objects, whose keys are known only
// from the record) from the first record.
class CsvWriter : public RecordWriter {
 public:
  CsvWriter(std::ostream& out, std::vector<std::string> keys)
      : out_(out), keys_(std::move(keys)) {}

  void Write(const Record& record) override {
    if (keys_.empty()) {
      for (const Field& field : record.fields) keys_.push_back(field.key);
    }
    WriteHeaderOnce();
    out_ << CsvRow(record, keys_);
  }
  void Finish() override {
    if (!keys_.empty()) WriteHeaderOnce();
    out_.flush();
  }

 private:
  void WriteHeaderOnce() {
    if (header_written_) return;
    out_ << CsvHeader(keys_);
    header_written_ = true;
  }

  std::ostream& out_;
  std::vector<std::string> keys_;
  bool header_written_ = false;
};

class TableListWriter : public RecordWriter {
 public:
  TableListWriter(std::ostream& out, std::vector<TableColumn> columns,
                  std::size_t alignment_rows, std::size_t line_width)
      : table_(out, std::move(columns), alignment_rows, line_width) {}

  void Write(const Record& record) override { table_.Write(record); }
  void Finish() override { table_.Finish(); }

 private:
  TableWriter table_;
};

class FormatListWriter : public RecordWriter {
 public:
  explicit FormatListWriter(std::ostream& out) : out_(out) {}

  void Write(const Record& record) override {
    if (count_++ > 0) out_ << '\n';
    out_ << FormatList(record);
  }
  void Finish() override { out_.flush(); }

 private:
  std::ostream& out_;
  std::size_t count_ = 0;
};

}  // namespace

std::unique_ptr<RecordWriter> MakeListWriter(OutputFormat format,
                                             std::ostream& out,
                                             ListLayout layout) {
  switch (format) {
    case OutputFormat::kJson:
      return std::make_unique<JsonArrayWriter>(out);
    case OutputFormat::kNdjson:
      return std::make_unique<NdjsonWriter>(out);
    case OutputFormat::kCsv:
      return std::make_unique<CsvWriter>(out, std::move(layout.keys));
    case OutputFormat::kWide:
      return std::make_unique<TableListWriter>(
          out,
          layout.wide_columns.empty() ? std::move(layout.table_columns)
                                      : std::move(layout.wide_columns),
          layout.table_alignment_rows, /*line_width=*/0);
    case OutputFormat::kTable:
      break;
  }
  return std::make_unique<TableListWriter>(out, std::move(layout.table_columns),
                                           layout.table_alignment_rows,
                                           layout.table_line_width);
}

std::unique_ptr<RecordWriter> MakeObjectWriter(OutputFormat format,
                                               std::ostream& out) {
  switch (format) {
    case OutputFormat::kJson:
      return std::make_unique<JsonObjectWriter>(out);
    case OutputFormat::kNdjson:
      return std::make_unique<NdjsonWriter>(out);
    case OutputFormat::kCsv:
      return std::make_unique<CsvWriter>(out, std::vector<std::string>());
    case OutputFormat::kTable:
    case OutputFormat::kWide:
      break;
  }
  return std::make_unique<FormatListWriter>(out);
}

}  // namespace xmppfed::cli
