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
  for (const auto& [warning, count] : counts_) {
    lines.push_back(std::to_string(count) + " " + std::string(noun) +
                    (count == 1 ? ": " : "s: ") + warning);
  }
  return lines;
}

}  // namespace xmppfed::cli
