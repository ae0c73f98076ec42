#include "cli/output/csv.h"

namespace xmppfed::cli {

void AppendCsvField(std::string& out, std::string_view text) {
  bool quote = text.find_first_of(",\"\r\n") != std::string_view::npos ||
               (!text.empty() && (text.front() == ' ' || text.back() == ' '));
  if (!quote) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string CsvHeader(const std::vector<std::string>& keys) {
  std::string out;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i > 0) out += ',';
    AppendCsvField(out, keys[i]);
  }
  out += '\n';
  return out;
}

std::string CsvRow(const Record& record, const std::vector<std::string>& keys) {
  std::string out;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (i > 0) out += ',';
    if (const Value* value = record.Find(keys[i])) {
      AppendCsvField(out, ValueText(*value, kCsvTextStyle));
    }
  }
  out += '\n';
  return out;
}

}  // namespace xmppfed::cli
