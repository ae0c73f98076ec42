// The one output path of every verb: records in, text in the chosen
// -o format out. Writers stream: JSON, NDJSON and CSV print each record as it
// is written and hold none; the table buffers only a bounded head to align
// its columns.
#ifndef XMPPFED_CLI_OUTPUT_WRITER_H_
#define XMPPFED_CLI_OUTPUT_WRITER_H_

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "cli/output/format.h"
#include "cli/output/record.h"
#include "cli/output/table.h"

namespace xmppfed::cli {

class RecordWriter {
 public:
  virtual ~RecordWriter() = default;
  virtual void Write(const Record& record) = 0;
  // Completes the document: the closing "]" of a JSON array (or "[]" when
  // nothing was written), the buffered rows of a table. Not called when the
  // listing failed half-way, so a cut JSON array stays visibly cut.
  virtual void Finish() = 0;
};

// What a list verb prints.
struct ListLayout {
  // Every key, in order: the CSV header (needed even for an empty list).
  std::vector<std::string> keys;
  // The columns of the table form, a readable subset of `keys`.
  std::vector<TableColumn> table_columns;
  // The columns of -o wide; empty: those of the table, uncut.
  std::vector<TableColumn> wide_columns = {};
  // Rows buffered to size the table's columns.
  std::size_t table_alignment_rows = 1000;
  // The table form's lines are cut to this many characters (the last
  // column's cells end in "..."); 0: no limit. Not for -o wide.
  std::size_t table_line_width = 0;
};

// A list (get-partner, get-session): table = Format-Table, wide = the same
// with every column of the layout, json = one array (always, even for one
// record), ndjson = one object per line, csv = header plus one row per
// record.
std::unique_ptr<RecordWriter> MakeListWriter(OutputFormat format,
                                             std::ostream& out,
                                             ListLayout layout);

// A single object (new-partner, get-agent, ...): table and wide = Format-List,
// json = one pretty object, ndjson = one line, csv = header plus one row.
// Several records give several objects (blank-line separated in table form).
std::unique_ptr<RecordWriter> MakeObjectWriter(OutputFormat format,
                                               std::ostream& out);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_OUTPUT_WRITER_H_
