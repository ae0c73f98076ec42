// The JSON forms of import-partners' input: one object per line (NDJSON) or
// one array of objects. The readers are internal to record_reader.cc;
// ParseNdjsonLine also reads the NDJSON targets of pipeline input.
#ifndef XMPPFED_CLI_INPUT_JSON_RECORD_READERS_H_
#define XMPPFED_CLI_INPUT_JSON_RECORD_READERS_H_

#include <memory>

#include "cli/input/record_reader.h"

namespace xmppfed::cli {

// A line longer than this is refused without being parsed.
inline constexpr std::size_t kMaxNdjsonLineBytes = 1 << 20;

// One NDJSON line (without its line ending) into `record->object`, or
// `record->error` ("invalid JSON at column C: what", or not an object).
void ParseNdjsonLine(const std::string& line, InputRecord* record);

std::unique_ptr<RecordReader> MakeNdjsonReader(
    std::unique_ptr<TextSource> source);
std::unique_ptr<RecordReader> MakeJsonArrayReader(
    std::unique_ptr<TextSource> source);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_INPUT_JSON_RECORD_READERS_H_
