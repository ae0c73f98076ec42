// The JSON forms of import-partners' input: one object per line (NDJSON) or
// one array of objects. Internal to record_reader.cc.
#ifndef XMPPFED_CLI_INPUT_JSON_RECORD_READERS_H_
#define XMPPFED_CLI_INPUT_JSON_RECORD_READERS_H_

#include <memory>

#include "cli/input/record_reader.h"

namespace xmppfed::cli {

// A line longer than this is refused without being parsed.
inline constexpr std::size_t kMaxNdjsonLineBytes = 1 << 20;

std::unique_ptr<RecordReader> MakeNdjsonReader(
    std::unique_ptr<TextSource> source);
std::unique_ptr<RecordReader> MakeJsonArrayReader(
    std::unique_ptr<TextSource> source);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_INPUT_JSON_RECORD_READERS_H_
