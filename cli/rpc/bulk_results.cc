#include "cli/rpc/bulk_results.h"

namespace xmppfed::cli {

ListLayout BulkResultLayout() {
  ListLayout layout;
  layout.keys = {"line", "identity", "status", "error"};
  layout.table_columns = {{"line", "Line", 0},
                          {"identity", "Identity", 0},
                          {"status", "Status", 0},
                          {"error", "Error", 0}};
  return layout;
}

Record BulkResultRecord(std::uint64_t line, std::string_view identity,
                        std::string_view status, std::string_view error) {
  Record record;
  record.AddUint("line", line)
      .AddString("identity", identity)
      .AddString("status", status);
  if (!error.empty()) record.AddString("error", error);
  return record;
}

std::vector<std::string> WarningTally::Lines(std::string_view noun) const {
  std::vector<std::string> lines;
  for (const auto& [warning, records] : warnings_) {
    if (records.named.empty()) {
      lines.push_back(std::to_string(records.count) + " " + std::string(noun) +
                      (records.count == 1 ? ": " : "s: ") + warning);
      continue;
    }
    std::string names;
    for (const std::string& name : records.named) {
      names += (names.empty() ? "" : ", ") + name;
    }
    if (records.count > records.named.size()) {
      names += " and " + std::to_string(records.count - records.named.size()) +
               " more";
    }
    lines.push_back(names + ": " + warning);
  }
  return lines;
}

}  // namespace xmppfed::cli
