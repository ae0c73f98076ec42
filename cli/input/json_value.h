// A small JSON reader for the records of import-partners: it pulls one value
// at a time from a TextSource (so a JSON array of 100,000 records is never
// held whole) and names the line and column of any syntax error. Strict
// RFC 8259: no comments, no trailing commas, no NaN, UTF-16 surrogate pairs
// in \u escapes; nesting is bounded.
#ifndef XMPPFED_CLI_INPUT_JSON_VALUE_H_
#define XMPPFED_CLI_INPUT_JSON_VALUE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/input/text_source.h"

namespace xmppfed::cli {

struct JsonValue {
  // kCsvCell: a CSV field, always text; told apart from a JSON string
  // because an empty cell means "not given" for non-text fields.
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject, kCsvCell };

  Kind kind = Kind::kNull;
  // The characters of a string or CSV cell, the literal of a number.
  std::string text;
  bool boolean = false;
  // Array elements; for an object, the member values (keys in `keys`).
  std::vector<JsonValue> items;
  std::vector<std::string> keys;

  // The member named `key` of an object, nullptr when absent.
  const JsonValue* Find(std::string_view key) const;
};

// "string", "number", ... for messages.
std::string_view KindName(JsonValue::Kind kind);

inline constexpr int kMaxJsonDepth = 64;

// Skips JSON whitespace.
void SkipJsonSpace(TextSource& source);

// Parses one value starting at the next non-space character. On a syntax
// error returns nullopt and sets `error` to "line L, column C: what"; text
// that is not UTF-8 is such an error too.
std::optional<JsonValue> ParseJsonValue(TextSource& source, std::string& error);

// What is wrong with a value that is well-formed JSON: it holds text that
// is not UTF-8 ("line L, column C: not valid UTF-8 (byte 0xFF)"), or it is
// larger than the limit. Empty when nothing is.
struct JsonValueProblem {
  std::string text;
};

// The same, but a value with a problem is read to its end (so what follows
// can be read) and returned with `problem` set. Past `max_bytes` (its
// strings and numbers, and the memory its elements and members take)
// nothing more of the value is kept: memory stays bounded by `max_bytes`
// whatever the input.
std::optional<JsonValue> ParseJsonValue(TextSource& source, std::string& error,
                                        std::size_t max_bytes,
                                        JsonValueProblem* problem);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_INPUT_JSON_VALUE_H_
