// The JSON forms of import-partners' input: one object per line (NDJSON) or
// one array of objects. The readers are internal to record_reader.cc;
// ParseNdjsonLine also reads the NDJSON targets of pipeline input.
#ifndef XMPPFED_CLI_INPUT_JSON_RECORD_READERS_H_
#define XMPPFED_CLI_INPUT_JSON_RECORD_READERS_H_

#include <memory>

#include "cli/input/record_reader.h"

namespace xmppfed::cli {

// A line longer than this is refused without being parsed.
inline constexpr std::size_t kMaxNdjsonLineBytes = kMaxRecordBytes;

// One NDJSON line (without its line ending) into `record->object`, or
// `record->error` ("invalid JSON at column C: what", not an object, text
// that is not UTF-8 at "line L, column C" with L = record->line, or more
// than `max_bytes` of it).
void ParseNdjsonLine(const std::string& line, InputRecord* record,
                     std::size_t max_bytes = kMaxRecordBytes);

// A record (an NDJSON line, an element of the array) larger than
// `max_record_bytes` is refused without being held whole.
std::unique_ptr<RecordReader> MakeNdjsonReader(
    std::unique_ptr<TextSource> source, std::size_t max_record_bytes);
std::unique_ptr<RecordReader> MakeJsonArrayReader(
    std::unique_ptr<TextSource> source, std::size_t max_record_bytes);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_INPUT_JSON_RECORD_READERS_H_
