// JSON text of records: RFC 8259, keys in record order.
#ifndef XMPPFED_CLI_OUTPUT_JSON_H_
#define XMPPFED_CLI_OUTPUT_JSON_H_

#include <string>
#include <string_view>

#include "cli/output/record.h"

namespace xmppfed::cli {

// Appends `text` as a quoted JSON string: `"` and `\` escaped, control
// characters as \b \f \n \r \t or \u00XX, DEL as \u007f, valid UTF-8 passed
// through as is, and any byte that is not part of valid UTF-8 replaced by
// \ufffd so the output is always valid JSON.
void AppendJsonString(std::string& out, std::string_view text);

// One object on one line, no spaces: the NDJSON form.
std::string CompactJson(const Record& record);

// Pretty-printed with 2-space indentation, the object's own braces at
// `indent` levels; no trailing newline.
std::string PrettyJson(const Record& record, int indent = 0);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_OUTPUT_JSON_H_
