#include "tests/integration/completion/cli_spec_reader.h"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace xmppfed::testing {
namespace {

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator)) parts.push_back(part);
  if (!text.empty() && text.back() == separator) parts.push_back("");
  return parts;
}

bool IsLiteral(const std::string& word) {
  if (word.empty() || !std::isalpha(static_cast<unsigned char>(word[0]))) {
    return false;
  }
  bool has_lower = false;
  for (char c : word) {
    auto u = static_cast<unsigned char>(c);
    if (!std::isalnum(u)) return false;
    has_lower = has_lower || std::islower(u);
  }
  return has_lower;
}

}  // namespace

std::vector<std::string> SpecItem::Literals() const {
  std::vector<std::string> literals;
  if (value.find('|') == std::string::npos) return literals;
  for (const std::string& word : Split(value, '|')) {
    if (IsLiteral(word)) literals.push_back(word);
  }
  return literals;
}

bool SpecItem::TakesFile() const {
  std::vector<std::string> words = Split(value, '|');
  return std::find(words.begin(), words.end(), "FILE") != words.end() ||
         std::find(words.begin(), words.end(), "PATH") != words.end();
}

bool ParseCliSpec(const std::string& text, CliSpec* spec, std::string* error) {
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    std::vector<std::string> fields = Split(line, '\t');
    if (fields.size() != 4) {
      *error = "line " + std::to_string(number) + " has " +
               std::to_string(fields.size()) + " fields: " + line;
      return false;
    }
    if (fields[0] == "verb") {
      spec->verbs.push_back(fields[1]);
      continue;
    }
    if (fields[0] != "global" && fields[0] != "option" &&
        fields[0] != "positional") {
      *error = "line " + std::to_string(number) + ": unknown kind " + line;
      return false;
    }
    spec->items.push_back(
        SpecItem{fields[0], fields[1], Split(fields[2], ' '), fields[3]});
  }
  return true;
}

}  // namespace xmppfed::testing
