// CSV input of import-partners (RFC 4180): a header row of column names,
// then one partner per row; fields may be quoted ("a, b"), with "" for a
// quote inside, and may then span lines. A UTF-8 byte order mark is
// skipped. Internal to record_reader.cc.
#ifndef XMPPFED_CLI_INPUT_CSV_RECORD_READER_H_
#define XMPPFED_CLI_INPUT_CSV_RECORD_READER_H_

#include <memory>
#include <span>
#include <string_view>

#include "cli/input/record_reader.h"

namespace xmppfed::cli {

std::unique_ptr<RecordReader> MakeCsvReader(
    std::unique_ptr<TextSource> source,
    std::span<const std::string_view> columns);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_INPUT_CSV_RECORD_READER_H_
