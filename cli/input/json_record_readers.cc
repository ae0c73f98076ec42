#include "cli/input/json_record_readers.h"

#include <sstream>

namespace xmppfed::cli {
namespace {

bool IsBlank(const std::string& line) {
  return line.find_first_not_of(" \t\r") == std::string::npos;
}

void RequireObject(InputRecord* record) {
  if (record->error.empty() &&
      record->object.kind != JsonValue::Kind::kObject) {
    record->error = "expected a JSON object, found " +
                    std::string(KindName(record->object.kind));
  }
}

}  // namespace

void ParseNdjsonLine(const std::string& line, InputRecord* record,
                     std::size_t max_bytes) {
  std::istringstream in(line);
  TextSource text(in);
  std::string error;
  JsonValueProblem problem;
  std::optional<JsonValue> value =
      ParseJsonValue(text, error, max_bytes, &problem);
  if (!value) {
    // The message's "line 1" is this line's own.
    std::size_t comma = error.find(", column ");
    record->error = comma == std::string::npos
                        ? "invalid JSON: " + error
                        : "invalid JSON at column " + error.substr(comma + 9);
    return;
  }
  SkipJsonSpace(text);
  if (text.Peek() != TextSource::kEnd) {
    record->error = "invalid JSON at column " +
                    std::to_string(text.position().column) +
                    ": text after the object; NDJSON holds one object per "
                    "line";
    return;
  }
  record->object = *std::move(value);
  if (!problem.text.empty()) {
    // The position's "line 1" is this line's own.
    static constexpr std::string_view kFirstLine = "line 1, ";
    bool positioned = problem.text.rfind(kFirstLine, 0) == 0;
    std::string rest =
        positioned ? problem.text.substr(kFirstLine.size()) : problem.text;
    record->error = !positioned ? rest
                    : record->line > 0
                        ? "line " + std::to_string(record->line) + ", " + rest
                        : rest;
    return;
  }
  RequireObject(record);
}

namespace {

// Each line is read whole (up to max_bytes_) and parsed on its own, so a
// broken line costs only itself: the next line is read as usual.
class NdjsonReader : public RecordReader {
 public:
  NdjsonReader(std::unique_ptr<TextSource> source, std::size_t max_bytes)
      : RecordReader(std::move(source), InputFormat::kNdjson),
        max_bytes_(max_bytes) {}

  bool Next(InputRecord* record) override {
    while (true) {
      if (source_->Peek() == TextSource::kEnd) return false;
      std::uint64_t line_number = source_->position().line;
      std::string line;
      bool too_long = false;
      for (int c = source_->Get(); c != TextSource::kEnd && c != '\n';
           c = source_->Get()) {
        if (line.size() < max_bytes_) {
          line.push_back(static_cast<char>(c));
        } else {
          too_long = true;
        }
      }
      if (IsBlank(line)) continue;
      *record = InputRecord();
      record->line = line_number;
      if (too_long) {
        record->error =
            "the line is longer than " + std::to_string(max_bytes_) + " bytes";
        return true;
      }
      ParseNdjsonLine(line, record, max_bytes_);
      return true;
    }
  }

 private:
  std::size_t max_bytes_;
};

// '[' value (',' value)* ']': each element is parsed when asked for; a
// syntax error is fatal, as nothing after it can be told apart.
class JsonArrayReader : public RecordReader {
 public:
  JsonArrayReader(std::unique_ptr<TextSource> source, std::size_t max_bytes)
      : RecordReader(std::move(source), InputFormat::kJson),
        max_bytes_(max_bytes) {}

  bool Next(InputRecord* record) override {
    if (done_) return false;
    SkipJsonSpace(*source_);
    if (!started_) {
      started_ = true;
      if (source_->Peek() != '[') {
        return Fail(
            "expected '[': a JSON file holds one array of partner "
            "objects");
      }
      source_->Get();
      SkipJsonSpace(*source_);
      if (source_->Peek() == ']') {
        source_->Get();
        Finish();
        return false;
      }
    }
    *record = InputRecord();
    record->line = source_->position().line;
    std::string error;
    JsonValueProblem problem;
    std::optional<JsonValue> value =
        ParseJsonValue(*source_, error, max_bytes_, &problem);
    if (!value) {
      done_ = true;  // nothing after a syntax error can be read
      return Fatal(error);
    }
    record->error = problem.text;
    record->object = *std::move(value);
    RequireObject(record);
    SkipJsonSpace(*source_);
    int c = source_->Peek();
    if (c == ']' || c == ',') source_->Get();
    if (c == ']') {
      Finish();
    } else if (c != ',') {
      // The element itself was whole: it is returned, the error ends the
      // input on the next call.
      done_ = true;
      fatal_error_ = DescribePosition(source_->position()) +
                     ": expected ',' or ']' after an element";
    }
    return true;
  }

 private:
  bool Fail(const std::string& what) {
    done_ = true;
    return Fatal(DescribePosition(source_->position()) + ": " + what);
  }

  // After the closing ']' (consumed) only white space may follow.
  void Finish() {
    done_ = true;
    SkipJsonSpace(*source_);
    if (source_->Peek() != TextSource::kEnd) {
      fatal_error_ = DescribePosition(source_->position()) +
                     ": text after the closing ']'";
    }
  }

  std::size_t max_bytes_;
  bool started_ = false;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<RecordReader> MakeNdjsonReader(
    std::unique_ptr<TextSource> source, std::size_t max_record_bytes) {
  return std::make_unique<NdjsonReader>(std::move(source), max_record_bytes);
}

std::unique_ptr<RecordReader> MakeJsonArrayReader(
    std::unique_ptr<TextSource> source, std::size_t max_record_bytes) {
  return std::make_unique<JsonArrayReader>(std::move(source), max_record_bytes);
}

}  // namespace xmppfed::cli
