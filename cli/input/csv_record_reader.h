// CSV input of import-partners (RFC 4180): a header row of column names,
// then one partner per row; fields may be quoted ("a, b"), with "" for a
// quote inside, and may then span lines. What PowerShell's Export-Csv
// writes reads as is: a UTF-8 byte order mark and a first "#TYPE ..." line
// are skipped, PascalCase column names match, and the delimiter may be ';'
// or a tab. Internal to record_reader.cc.
#ifndef XMPPFED_CLI_INPUT_CSV_RECORD_READER_H_
#define XMPPFED_CLI_INPUT_CSV_RECORD_READER_H_

#include <memory>

#include "cli/input/record_reader.h"

namespace xmppfed::cli {

std::unique_ptr<RecordReader> MakeCsvReader(std::unique_ptr<TextSource> source,
                                            const RecordReaderOptions& options);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_INPUT_CSV_RECORD_READER_H_
