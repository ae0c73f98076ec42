#include "tests/support/json.h"

#include <algorithm>

#include "google/protobuf/util/json_util.h"

namespace xmppfed::testing {

::testing::AssertionResult ParseJson(std::string_view text, JsonValue* out) {
  out->Clear();
  auto status = google::protobuf::util::JsonStringToMessage(
      std::string(text), out, google::protobuf::util::JsonParseOptions());
  if (!status.ok()) {
    return ::testing::AssertionFailure()
           << "not valid JSON (" << status.ToString() << "):\n"
           << text;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult ParseNdjson(std::string_view text,
                                       std::vector<JsonValue>* out) {
  out->clear();
  size_t line_number = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view()
                                         : text.substr(end + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    JsonValue value;
    ::testing::AssertionResult parsed = ParseJson(line, &value);
    if (!parsed) {
      return ::testing::AssertionFailure()
             << "NDJSON line " << line_number << ": " << parsed.message();
    }
    out->push_back(std::move(value));
  }
  return ::testing::AssertionSuccess();
}

namespace {

void AppendCanonical(const JsonValue& value, std::string* out) {
  if (value.has_struct_value()) {
    std::vector<std::string> keys = Keys(value);
    out->push_back('{');
    for (size_t i = 0; i < keys.size(); ++i) {
      if (i > 0) out->push_back(',');
      JsonValue key;
      key.set_string_value(keys[i]);
      AppendCanonical(key, out);
      out->push_back(':');
      AppendCanonical(value.struct_value().fields().at(keys[i]), out);
    }
    out->push_back('}');
    return;
  }
  if (value.has_list_value()) {
    out->push_back('[');
    bool first = true;
    for (const JsonValue& element : value.list_value().values()) {
      if (!first) out->push_back(',');
      first = false;
      AppendCanonical(element, out);
    }
    out->push_back(']');
    return;
  }
  if (value.kind_case() == JsonValue::KIND_NOT_SET) {
    out->append("<no value>");
    return;
  }
  std::string text;
  auto status = google::protobuf::util::MessageToJsonString(value, &text);
  out->append(status.ok() ? text : "<" + status.ToString() + ">");
}

}  // namespace

std::string ToJson(const JsonValue& value) {
  std::string text;
  AppendCanonical(value, &text);
  return text;
}

bool IsObject(const JsonValue& value) { return value.has_struct_value(); }
bool IsArray(const JsonValue& value) { return value.has_list_value(); }

std::vector<JsonValue> Elements(const JsonValue& value) {
  if (!value.has_list_value()) return {};
  return {value.list_value().values().begin(),
          value.list_value().values().end()};
}

std::vector<std::string> Keys(const JsonValue& object) {
  std::vector<std::string> keys;
  if (!object.has_struct_value()) return keys;
  for (const auto& [key, ignored] : object.struct_value().fields()) {
    keys.push_back(key);
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

const JsonValue* Member(const JsonValue& object, std::string_view key) {
  if (!object.has_struct_value()) return nullptr;
  const auto& fields = object.struct_value().fields();
  auto it = fields.find(std::string(key));
  return it == fields.end() ? nullptr : &it->second;
}

bool Has(const JsonValue& object, std::string_view key) {
  return Member(object, key) != nullptr;
}

std::optional<std::string> GetString(const JsonValue& object,
                                     std::string_view key) {
  const JsonValue* member = Member(object, key);
  if (member == nullptr || !member->has_string_value()) return std::nullopt;
  return member->string_value();
}

std::optional<double> GetNumber(const JsonValue& object, std::string_view key) {
  const JsonValue* member = Member(object, key);
  if (member == nullptr || member->kind_case() != JsonValue::kNumberValue) {
    return std::nullopt;
  }
  return member->number_value();
}

std::optional<bool> GetBool(const JsonValue& object, std::string_view key) {
  const JsonValue* member = Member(object, key);
  if (member == nullptr || member->kind_case() != JsonValue::kBoolValue) {
    return std::nullopt;
  }
  return member->bool_value();
}

std::optional<std::vector<std::string>> GetStringList(const JsonValue& object,
                                                      std::string_view key) {
  const JsonValue* member = Member(object, key);
  if (member == nullptr || !member->has_list_value()) return std::nullopt;
  std::vector<std::string> list;
  for (const JsonValue& element : member->list_value().values()) {
    if (!element.has_string_value()) return std::nullopt;
    list.push_back(element.string_value());
  }
  return list;
}

std::string Str(const JsonValue& object, std::string_view key) {
  return GetString(object, key).value_or("");
}

double Num(const JsonValue& object, std::string_view key) {
  return GetNumber(object, key).value_or(-1);
}

bool Bool(const JsonValue& object, std::string_view key) {
  return GetBool(object, key).value_or(false);
}

std::vector<std::string> StrList(const JsonValue& object,
                                 std::string_view key) {
  return GetStringList(object, key).value_or(std::vector<std::string>());
}

}  // namespace xmppfed::testing
