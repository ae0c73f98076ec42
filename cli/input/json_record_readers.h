// The JSON forms of import-partners' input: one object per line (NDJSON) or
// one array of objects. Internal to record_reader.cc.
#ifndef XMPPFED_CLI_INPUT_JSON_RECORD_READERS_H_
#define XMPPFED_CLI_INPUT_JSON_RECORD_READERS_H_

#include <memory>

#include "cli/input/record_reader.h"

namespace xmppfed::cli {

// A record (an NDJSON line, an element of the array) larger than
// `max_record_bytes` is refused without being held whole.
std::unique_ptr<RecordReader> MakeNdjsonReader(
    std::unique_ptr<TextSource> source, std::size_t max_record_bytes);
std::unique_ptr<RecordReader> MakeJsonArrayReader(
    std::unique_ptr<TextSource> source, std::size_t max_record_bytes);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_INPUT_JSON_RECORD_READERS_H_
