// CSV text of records: RFC 4180 quoting, one header row of JSON keys, list
// values joined with ';' (nested records as "value=value"), booleans
// "true"/"false". Rows end in "\n" (what Unix tools and the later
// import-partners expect; RFC 4180 readers accept it too).
#ifndef XMPPFED_CLI_OUTPUT_CSV_H_
#define XMPPFED_CLI_OUTPUT_CSV_H_

#include <string>
#include <string_view>
#include <vector>

#include "cli/output/record.h"

namespace xmppfed::cli {

// Appends `text` as one field, in double quotes (inner quotes doubled) when
// it holds a comma, a quote, CR or LF, or starts or ends with a space.
void AppendCsvField(std::string& out, std::string_view text);

// The header row for `keys`, with the newline.
std::string CsvHeader(const std::vector<std::string>& keys);

// One row with the record's values in `keys` order (absent keys give empty
// cells; keys not listed are left out), with the newline.
std::string CsvRow(const Record& record, const std::vector<std::string>& keys);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_OUTPUT_CSV_H_
