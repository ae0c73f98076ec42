// Human-readable text in the PowerShell manner: lists of records as aligned
// columns under a header and a "----" underline (Format-Table), a single
// record as "Label : value" lines (Format-List). Only these forms shorten or
// clean values; JSON, NDJSON and CSV always carry them whole.
#ifndef XMPPFED_CLI_OUTPUT_TABLE_H_
#define XMPPFED_CLI_OUTPUT_TABLE_H_

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/output/record.h"

namespace xmppfed::cli {

struct TableColumn {
  // The record key shown in this column.
  std::string key;
  // The header text; KeyToLabel(key) when empty.
  std::string header;
  // Longer cells are cut to this many characters, ending in "...";
  // 0 = no limit of its own.
  std::size_t max_width = 0;
};

// Display width of UTF-8 text, counted in code points (good enough for
// domain names and descriptions; wide CJK glyphs are not measured).
std::size_t DisplayWidth(std::string_view text);

// `text` cut to at most `width` code points, the last three being "..."
// when anything was cut.
std::string Truncate(std::string_view text, std::size_t width);

// Control characters (which would break the layout or drive the terminal)
// replaced: tab, CR and LF by a space, the others by '?'.
std::string CleanForTerminal(std::string_view text);

// Format-Table. Rows are buffered until `alignment_rows` have arrived (or
// Finish), which fixes the column widths; later rows stream at once at those
// widths, so memory stays bounded however long the list. Cells are cut only
// in columns with a max_width, and in the last column when a line would be
// longer than `line_width` (0: no limit; the last column keeps at least 10
// characters). No output at all for an empty list. Lines carry no trailing
// spaces.
class TableWriter {
 public:
  TableWriter(std::ostream& out, std::vector<TableColumn> columns,
              std::size_t alignment_rows = 1000, std::size_t line_width = 0);

  void Write(const Record& record);
  void Finish();

 private:
  void FixWidths();
  void PrintRow(const std::vector<std::string>& cells);

  std::ostream& out_;
  std::vector<TableColumn> columns_;
  std::size_t alignment_rows_;
  std::size_t line_width_;
  std::vector<std::vector<std::string>> pending_;
  // Empty until the widths are fixed.
  std::vector<std::size_t> widths_;
};

// Format-List of one record: labels from KeyToLabel, padded to the longest,
// then " : " and the value; lists joined by ", ", each nested record on a
// line of its own under the first.
std::string FormatList(const Record& record);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_OUTPUT_TABLE_H_
