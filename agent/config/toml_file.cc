#include "agent/config/toml_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "xmppfed/v1/utf8.h"

namespace xmppfed::config {
namespace {

// A bound on what an operator's file can hold: the options are a few dozen.
constexpr std::size_t kMaxFileBytes = 1 << 20;

// Reads a file of lines character by character, tracking the line.
class Cursor {
 public:
  Cursor(std::string text, std::string name)
      : text_(std::move(text)), name_(std::move(name)) {}

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  char Get() {
    char c = Peek();
    ++pos_;
    if (c == '\n') ++line_;
    return c;
  }
  int line() const { return line_; }

  // Spaces and tabs.
  void SkipBlanks() {
    while (Peek() == ' ' || Peek() == '\t') Get();
  }
  // Blanks, then a comment up to (not including) the end of the line.
  void SkipBlanksAndComment() {
    SkipBlanks();
    if (Peek() == '#') {
      while (!AtEnd() && Peek() != '\n') Get();
    }
  }
  // Blanks, comments and line ends (inside arrays).
  void SkipWhiteSpace() {
    while (true) {
      SkipBlanksAndComment();
      if (Peek() == '\r' || Peek() == '\n') {
        Get();
      } else {
        return;
      }
    }
  }
  // After a value: only blanks and a comment may follow on its line.
  bool EndOfLine() {
    SkipBlanksAndComment();
    if (Peek() == '\r') Get();
    if (AtEnd()) return true;
    if (Peek() != '\n') return false;
    Get();
    return true;
  }

  absl::Status Error(absl::string_view what) const {
    return absl::InvalidArgumentError(
        absl::StrCat(name_, ":", line_, ": ", what));
  }

 private:
  std::string text_;
  std::string name_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

bool IsBareKeyCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '_';
}

absl::Status UnicodeEscape(Cursor& in, int digits, std::string* out) {
  char32_t code = 0;
  for (int i = 0; i < digits; ++i) {
    char c = in.Get();
    int value = (c >= '0' && c <= '9')   ? c - '0'
                : (c >= 'a' && c <= 'f') ? c - 'a' + 10
                : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                         : -1;
    if (value < 0) {
      return in.Error(
          absl::StrCat("a \\u escape needs ", digits, " hex digits"));
    }
    code = code * 16 + static_cast<char32_t>(value);
  }
  if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
    return in.Error("a \\u escape names no Unicode character");
  }
  v1::AppendUtf8(code, out);
  return absl::OkStatus();
}

absl::Status BasicString(Cursor& in, std::string* out) {
  in.Get();  // '"'
  while (true) {
    if (in.AtEnd() || in.Peek() == '\n') {
      return in.Error("a string is not closed on its line (\"...\")");
    }
    char c = in.Get();
    if (c == '"') return absl::OkStatus();
    if (c != '\\') {
      out->push_back(c);
      continue;
    }
    char escape = in.Get();
    switch (escape) {
      case '"':
      case '\\':
        out->push_back(escape);
        break;
      case 'b':
        out->push_back('\b');
        break;
      case 't':
        out->push_back('\t');
        break;
      case 'n':
        out->push_back('\n');
        break;
      case 'f':
        out->push_back('\f');
        break;
      case 'r':
        out->push_back('\r');
        break;
      case 'u':
        if (absl::Status s = UnicodeEscape(in, 4, out); !s.ok()) return s;
        break;
      case 'U':
        if (absl::Status s = UnicodeEscape(in, 8, out); !s.ok()) return s;
        break;
      default:
        return in.Error(absl::StrCat(
            "unknown escape \\", std::string(1, escape),
            " in a string (for a path, use single quotes: '...')"));
    }
  }
}

absl::Status LiteralString(Cursor& in, std::string* out) {
  in.Get();  // '\''
  while (true) {
    if (in.AtEnd() || in.Peek() == '\n') {
      return in.Error("a string is not closed on its line ('...')");
    }
    char c = in.Get();
    if (c == '\'') return absl::OkStatus();
    out->push_back(c);
  }
}

// A string, integer or boolean.
absl::Status Scalar(Cursor& in, std::string* out) {
  char c = in.Peek();
  if (c == '"') return BasicString(in, out);
  if (c == '\'') return LiteralString(in, out);
  std::string word;
  while (!in.AtEnd() && std::string_view(" \t\r\n,]#").find(in.Peek()) ==
                            std::string_view::npos) {
    word.push_back(in.Get());
  }
  if (word == "true" || word == "false") {
    *out = word;
    return absl::OkStatus();
  }
  bool integer = !word.empty();
  for (std::size_t i = 0; i < word.size(); ++i) {
    char d = word[i];
    bool sign = i == 0 && (d == '+' || d == '-') && word.size() > 1;
    if (!sign && !(d >= '0' && d <= '9') && d != '_') integer = false;
  }
  if (integer) {
    for (char d : word) {
      if (d != '_' && d != '+') out->push_back(d);
    }
    return absl::OkStatus();
  }
  if (word.empty()) {
    return in.Error(
        "a value is missing: write a string in double quotes, a number, true "
        "or false, or an array [...]");
  }
  return in.Error(absl::StrCat(
      "'", word, "' is not a TOML value; text goes in double quotes: \"", word,
      "\""));
}

absl::Status Array(Cursor& in, TomlEntry* entry) {
  in.Get();  // '['
  entry->is_array = true;
  while (true) {
    in.SkipWhiteSpace();
    if (in.Peek() == ']') {
      in.Get();
      return absl::OkStatus();
    }
    if (in.AtEnd()) return in.Error("an array is not closed with ']'");
    if (in.Peek() == '[') return in.Error("arrays of arrays are not used");
    std::string value;
    if (absl::Status s = Scalar(in, &value); !s.ok()) return s;
    entry->values.push_back(std::move(value));
    in.SkipWhiteSpace();
    if (in.AtEnd()) return in.Error("an array is not closed with ']'");
    if (in.Peek() == ',') {
      in.Get();
    } else if (in.Peek() != ']') {
      return in.Error("expected ',' or ']' after an element of an array");
    }
  }
}

absl::Status Entry(Cursor& in, TomlEntry* entry) {
  entry->line = in.line();
  if (in.Peek() == '[') {
    return in.Error(
        "tables ([section]) are not used: every key stands at the top of the "
        "file");
  }
  while (IsBareKeyCharacter(in.Peek())) entry->key.push_back(in.Get());
  if (entry->key.empty()) {
    return in.Error(
        "expected a key (an option's long name without its dashes, e.g. "
        "log-level)");
  }
  in.SkipBlanks();
  if (in.Peek() == '.') {
    return in.Error(absl::StrCat("dotted keys (", entry->key,
                                 ".x) are not used: every key is an option's "
                                 "long name"));
  }
  if (in.Peek() != '=') {
    return in.Error(absl::StrCat("expected '=' after the key ", entry->key));
  }
  in.Get();
  in.SkipBlanks();
  if (in.Peek() == '[') {
    if (absl::Status s = Array(in, entry); !s.ok()) return s;
  } else {
    std::string value;
    if (absl::Status s = Scalar(in, &value); !s.ok()) return s;
    entry->values.push_back(std::move(value));
  }
  if (!in.EndOfLine()) {
    return in.Error(
        absl::StrCat("unexpected text after the value of ", entry->key,
                     " (one key per line; a comment starts with #)"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<TomlEntry>> ParseToml(std::istream& in,
                                                 const std::string& name) {
  std::string text;
  char buffer[4096];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxFileBytes) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": larger than ", kMaxFileBytes,
                       " bytes; is it the right file?"));
    }
  }
  if (std::size_t bad = v1::FindInvalidUtf8(text); bad != std::string::npos) {
    int line = 1;
    for (std::size_t i = 0; i < bad; ++i) line += text[i] == '\n';
    return absl::InvalidArgumentError(
        absl::StrCat(name, ":", line, ": not UTF-8 text (TOML files are)"));
  }
  Cursor cursor(std::move(text), name);
  std::vector<TomlEntry> entries;
  std::set<std::string> seen;
  while (true) {
    cursor.SkipWhiteSpace();
    if (cursor.AtEnd()) break;
    TomlEntry entry;
    if (absl::Status s = Entry(cursor, &entry); !s.ok()) return s;
    if (!seen.insert(entry.key).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, ":", entry.line, ": the key ", entry.key,
                       " is given twice; a repeatable option takes an array"));
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

absl::StatusOr<std::vector<TomlEntry>> ReadTomlFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    int error = errno;
    return absl::ErrnoToStatus(error,
                               absl::StrCat(path, ": cannot read the file"));
  }
  return ParseToml(file, path);
}

}  // namespace xmppfed::config
