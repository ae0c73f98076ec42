// Reading the CLI's JSON output with protobuf's JSON parser into
// google::protobuf::Value, plus small accessors for assertions.
#ifndef XMPPFED_TESTS_SUPPORT_JSON_H_
#define XMPPFED_TESTS_SUPPORT_JSON_H_

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "google/protobuf/struct.pb.h"

namespace xmppfed::testing {

using JsonValue = google::protobuf::Value;

// Parses one JSON document (object, array, string, number, ...). On failure
// the message quotes the parser's error and the text.
::testing::AssertionResult ParseJson(std::string_view text, JsonValue* out);

// Parses NDJSON: one document per non-empty line.
::testing::AssertionResult ParseNdjson(std::string_view text,
                                       std::vector<JsonValue>* out);

// Serialises a value to compact JSON with object keys sorted, so that equal
// values give equal text (for comparisons and messages).
std::string ToJson(const JsonValue& value);

bool IsObject(const JsonValue& value);
bool IsArray(const JsonValue& value);
// The elements of an array value (empty for anything else).
std::vector<JsonValue> Elements(const JsonValue& value);
// The keys of an object, sorted.
std::vector<std::string> Keys(const JsonValue& object);

bool Has(const JsonValue& object, std::string_view key);
// The member, or nullptr when absent (or `object` is not an object).
const JsonValue* Member(const JsonValue& object, std::string_view key);

// Typed members: nullopt when absent or of another JSON type.
std::optional<std::string> GetString(const JsonValue& object,
                                     std::string_view key);
std::optional<double> GetNumber(const JsonValue& object, std::string_view key);
std::optional<bool> GetBool(const JsonValue& object, std::string_view key);
// A list of strings; nullopt when absent, not a list, or any element is not
// a string.
std::optional<std::vector<std::string>> GetStringList(const JsonValue& object,
                                                      std::string_view key);

// Shorthands for assertions: the member's value or a default ("", -1, false,
// {}) when absent or of another type. Use the Get* forms to tell those
// apart.
std::string Str(const JsonValue& object, std::string_view key);
double Num(const JsonValue& object, std::string_view key);
bool Bool(const JsonValue& object, std::string_view key);
std::vector<std::string> StrList(const JsonValue& object, std::string_view key);

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_SUPPORT_JSON_H_
