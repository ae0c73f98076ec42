#include "cli/input/record_reader.h"

#include <algorithm>
#include <cctype>

#include "cli/input/csv_record_reader.h"
#include "cli/input/json_record_readers.h"

namespace xmppfed::cli {
namespace {

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return lower;
}

}  // namespace

std::optional<InputFormat> ParseInputFormat(std::string_view name) {
  if (name == "csv") return InputFormat::kCsv;
  if (name == "ndjson") return InputFormat::kNdjson;
  if (name == "json") return InputFormat::kJson;
  return std::nullopt;
}

std::optional<InputFormat> FormatFromFileName(std::string_view file_name) {
  std::size_t dot = file_name.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::string extension = Lower(file_name.substr(dot + 1));
  if (extension == "csv") return InputFormat::kCsv;
  if (extension == "ndjson" || extension == "jsonl") {
    return InputFormat::kNdjson;
  }
  if (extension == "json") return InputFormat::kJson;
  return std::nullopt;
}

std::unique_ptr<RecordReader> MakeRecordReader(
    std::optional<InputFormat> format, std::istream& in,
    std::span<const std::string_view> csv_columns) {
  RecordReaderOptions options;
  options.csv_columns = csv_columns;
  return MakeRecordReader(format, in, options);
}

std::unique_ptr<RecordReader> MakeRecordReader(
    std::optional<InputFormat> format, std::istream& in,
    const RecordReaderOptions& options) {
  auto source = std::make_unique<TextSource>(in);
  if (!format) {
    int first = source->PeekPastSpace();
    format = first == '['   ? InputFormat::kJson
             : first == '{' ? InputFormat::kNdjson
                            : InputFormat::kCsv;
  }
  switch (*format) {
    case InputFormat::kNdjson:
      return MakeNdjsonReader(std::move(source), options.max_record_bytes);
    case InputFormat::kJson:
      return MakeJsonArrayReader(std::move(source), options.max_record_bytes);
    case InputFormat::kCsv:
      break;
  }
  return MakeCsvReader(std::move(source), options);
}

}  // namespace xmppfed::cli
