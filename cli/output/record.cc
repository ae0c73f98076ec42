#include "cli/output/record.h"

#include <utility>

namespace xmppfed::cli {

Record& Record::AddString(std::string key, std::string_view value) {
  fields.push_back({std::move(key), Value(std::string(value))});
  return *this;
}

Record& Record::AddBool(std::string key, bool value) {
  fields.push_back({std::move(key), Value(value)});
  return *this;
}

Record& Record::AddInt(std::string key, std::int64_t value) {
  fields.push_back({std::move(key), Value(value)});
  return *this;
}

Record& Record::AddUint(std::string key, std::uint64_t value) {
  fields.push_back({std::move(key), Value(value)});
  return *this;
}

Record& Record::AddStrings(std::string key, Strings value) {
  fields.push_back({std::move(key), Value(std::move(value))});
  return *this;
}

Record& Record::AddRecords(std::string key, Records value) {
  fields.push_back({std::move(key), Value(std::move(value))});
  return *this;
}

Record& Record::AddNull(std::string key) {
  fields.push_back({std::move(key), Value(Null{})});
  return *this;
}

Record& Record::AddNested(std::string key, Record value) {
  fields.push_back({std::move(key), Value(Nested{Records{std::move(value)}})});
  return *this;
}

const Value* Record::Find(std::string_view key) const {
  for (const Field& field : fields) {
    if (field.key == key) return &field.value;
  }
  return nullptr;
}

namespace {

struct TextVisitor {
  const TextStyle& style;

  std::string operator()(const std::string& s) const { return s; }
  std::string operator()(bool b) const { return b ? "true" : "false"; }
  std::string operator()(std::int64_t i) const { return std::to_string(i); }
  std::string operator()(std::uint64_t u) const { return std::to_string(u); }
  std::string operator()(const Strings& list) const {
    std::string out;
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (i > 0) out += style.list_separator;
      out += list[i];
    }
    return out;
  }
  std::string operator()(const Null&) const { return {}; }
  std::string operator()(const Nested& nested) const {
    return (*this)(nested.record);
  }
  std::string operator()(const Records& list) const {
    std::string out;
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (i > 0) out += style.list_separator;
      const Record& item = list[i];
      for (std::size_t j = 0; j < item.fields.size(); ++j) {
        if (j > 0) out += style.pair_separator;
        out += std::visit(*this, item.fields[j].value);
      }
    }
    return out;
  }
};

}  // namespace

std::string ValueText(const Value& value, const TextStyle& style) {
  return std::visit(TextVisitor{style}, value);
}

std::string KeyToLabel(std::string_view key) {
  std::string label(key);
  if (!label.empty() && label[0] >= 'a' && label[0] <= 'z') {
    label[0] = static_cast<char>(label[0] - 'a' + 'A');
  }
  return label;
}

}  // namespace xmppfed::cli
