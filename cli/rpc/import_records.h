// import-partners' records as request messages: the keys of SPEC §2 mapped
// to PartnerFields, with only the keys a record carries becoming present
// fields. Type and spelling are checked here (as the front end checks the
// options of new-partner); content rules are the agent's.
//
// Values: text fields take a string; additionalDomains an array of strings
// or one string of domains separated by ';' (as CSV writes it); enums their
// spelling in any case; booleans true/false (JSON or text, any case);
// connectionLimit a whole number 0..4294967295. null, and an empty CSV cell
// of an enum, boolean or number column, mean "not given". revision,
// createdAt, modifiedAt and status (read-only keys of get-partner's output)
// are ignored, whatever their value.
#ifndef XMPPFED_CLI_RPC_IMPORT_RECORDS_H_
#define XMPPFED_CLI_RPC_IMPORT_RECORDS_H_

#include <span>
#include <string>
#include <string_view>

#include "cli/input/record_reader.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::cli {

// Every key a record may carry, in the spec's order: the CSV columns.
std::span<const std::string_view> ImportKeys();

// The record as sent to the agent. A record that cannot be converted gets
// `input_error` ("field=value: rule", or the reader's error) and the agent
// refuses it as is. Every string it holds is valid UTF-8 (a byte that is not
// reads "\xNN"), so one bad record never breaks the whole import.
//
// additionalDomains as text: "" is the empty list, an empty element ("a;;b")
// is refused, and so is the name of a .NET type (what Export-Csv writes for a
// list property), with the PowerShell that exports the list as text.
v1::ImportRecord ToImportRecord(const InputRecord& record);

// `text` cut to at most `max_bytes` (at a character boundary) with its size
// named, and made valid UTF-8: a value to quote in a message.
std::string CutForError(std::string_view text, std::size_t max_bytes);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_RPC_IMPORT_RECORDS_H_
