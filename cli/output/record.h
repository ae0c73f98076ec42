// A generic, protobuf-free record: an ordered list of key -> value, the unit
// every writer (table, JSON, NDJSON, CSV) prints. Keys are the spec's JSON
// keys (lowerCamelCase); their order is the output order.
#ifndef XMPPFED_CLI_OUTPUT_RECORD_H_
#define XMPPFED_CLI_OUTPUT_RECORD_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace xmppfed::cli {

struct Record;
using Strings = std::vector<std::string>;
using Records = std::vector<Record>;

// JSON null (no value, e.g. the old value of a field that was just created);
// empty in table and CSV cells.
struct Null {};

// One nested object (e.g. an audit entry's caller). Exactly one record,
// held in a vector because Record is not complete here.
struct Nested {
  Records record;
};

// string | bool | signed integer | unsigned integer | list of strings |
// list of records (e.g. an agent's listeners) | null | nested object.
using Value = std::variant<std::string, bool, std::int64_t, std::uint64_t,
                           Strings, Records, Null, Nested>;

struct Field {
  std::string key;
  Value value;
};

struct Record {
  std::vector<Field> fields;

  // Typed appenders, so a string literal never turns into a bool.
  Record& AddString(std::string key, std::string_view value);
  Record& AddBool(std::string key, bool value);
  Record& AddInt(std::string key, std::int64_t value);
  Record& AddUint(std::string key, std::uint64_t value);
  Record& AddStrings(std::string key, Strings value);
  Record& AddRecords(std::string key, Records value);
  Record& AddNull(std::string key);
  Record& AddNested(std::string key, Record value);

  // nullptr when the key is absent.
  const Value* Find(std::string_view key) const;
};

// How table and CSV cells flatten lists: `list_separator` between items,
// `pair_separator` between the values of one nested record.
struct TextStyle {
  std::string_view list_separator;
  std::string_view pair_separator;
};
inline constexpr TextStyle kTableTextStyle{", ", ": "};
inline constexpr TextStyle kCsvTextStyle{";", "="};

// The value as one line of text: booleans "true"/"false", integers in
// decimal, lists joined per `style`.
std::string ValueText(const Value& value, const TextStyle& style);

// "partnerType" -> "PartnerType": the column and Format-List label of a key.
std::string KeyToLabel(std::string_view key);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_OUTPUT_RECORD_H_
