#include "tests/docs/man_source.h"

#include <cctype>
#include <fstream>
#include <sstream>

namespace xmppfed::testing {
namespace {

// The escapes the pages use, as they print.
std::string Unescape(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    char next = text[i + 1];
    if (next == '&') {
      ++i;
    } else if (next == 'e') {
      out += '\\';
      ++i;
    } else if (next == '-') {
      out += '-';
      ++i;
    } else if (text.substr(i, 4) == "\\(aq") {
      out += '\'';
      i += 3;
    } else if (text.substr(i, 4) == "\\(dq") {
      out += '"';
      i += 3;
    } else {
      out += text[i];
    }
  }
  return out;
}

// A macro line's words; "a b" in double quotes is one word.
std::vector<std::string> Words(std::string_view line) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    if (i == line.size()) break;
    std::string word;
    if (line[i] == '"') {
      ++i;
      while (i < line.size()) {
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            word += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        word += line[i++];
      }
    } else {
      while (i < line.size() && line[i] != ' ') word += line[i++];
    }
    words.push_back(word);
  }
  return words;
}

// mdoc's callable macros: "Fl", "Ar", "Op", "Ns", ... and "%T".
bool IsMacro(std::string_view word) {
  if (word.size() == 2 && word[0] == '%' && std::isupper(word[1])) return true;
  if (word.size() < 2 || word.size() > 3 || !std::isupper(word[0])) {
    return false;
  }
  for (size_t i = 1; i < word.size(); ++i) {
    if (!std::islower(static_cast<unsigned char>(word[i]))) return false;
  }
  return true;
}

bool IsDelimiter(std::string_view word) {
  return word.size() == 1 &&
         std::string_view(".,:;()[]|?!").find(word[0]) != std::string::npos;
}

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}

}  // namespace

std::string RenderMdocLine(std::string_view line) {
  if (line.empty()) return "";
  if (line[0] == '\'' || line.substr(0, 3) == ".\\\"") return "";
  if (line[0] != '.') return Unescape(line);
  std::vector<std::string> words = Words(line.substr(1));
  std::vector<std::string> out;
  bool flag = false;     // inside Fl: each argument gets a '-'
  bool printed = false;  // Fl printed something since it started
  auto end_flag = [&] {
    if (flag && !printed) out.push_back("-");
    flag = false;
  };
  for (const std::string& word : words) {
    if (IsMacro(word)) {
      end_flag();
      flag = word == "Fl";
      printed = false;
      continue;
    }
    std::string text = Unescape(word);
    if (IsDelimiter(text)) {
      end_flag();
      out.push_back(text);
      continue;
    }
    out.push_back(flag ? "-" + text : text);
    printed = true;
  }
  end_flag();
  std::string joined;
  for (const std::string& word : out) {
    if (!joined.empty()) joined += ' ';
    joined += word;
  }
  return joined;
}

bool ContainsWord(std::string_view text, std::string_view word) {
  if (word.empty()) return false;
  for (size_t at = text.find(word); at != std::string_view::npos;
       at = text.find(word, at + 1)) {
    bool starts = at == 0 || !IsWordChar(text[at - 1]);
    size_t end = at + word.size();
    bool ends = end == text.size() || !IsWordChar(text[end]);
    if (starts && ends) return true;
  }
  return false;
}

std::string ManSection::Text() const {
  std::string text;
  for (const ManSubsection& subsection : subsections) {
    text += subsection.name + "\n" + subsection.text;
  }
  return text;
}

const ManSubsection* ManSection::FindSubsection(std::string_view name) const {
  for (const ManSubsection& subsection : subsections) {
    if (subsection.name == name) return &subsection;
  }
  return nullptr;
}

std::vector<std::string> ManSection::Items() const {
  std::vector<std::string> items;
  for (const ManSubsection& subsection : subsections) {
    items.insert(items.end(), subsection.items.begin(), subsection.items.end());
  }
  return items;
}

ManPage ManPage::Parse(std::string_view source) {
  ManPage page;
  page.sections_.push_back({"", {{}}});
  std::istringstream lines{std::string(source)};
  std::string line;
  while (std::getline(lines, line)) {
    std::string_view view(line);
    std::string rest =
        view.size() > 3 ? RenderMdocLine("." + line.substr(4)) : "";
    if (view.substr(0, 4) == ".Sh ") {
      page.sections_.push_back({rest, {{}}});
      continue;
    }
    ManSection& section = page.sections_.back();
    if (view.substr(0, 4) == ".Ss ") {
      section.subsections.push_back({rest, "", {}});
      continue;
    }
    ManSubsection& subsection = section.subsections.back();
    if (view.substr(0, 4) == ".It ") subsection.items.push_back(rest);
    std::string text = RenderMdocLine(view);
    if (!text.empty()) subsection.text += text + "\n";
  }
  return page;
}

ManPage ManPage::Load(const std::string& path) {
  std::ifstream file(path);
  std::stringstream content;
  content << file.rdbuf();
  return Parse(content.str());
}

const ManSection* ManPage::FindSection(std::string_view name) const {
  for (const ManSection& section : sections_) {
    if (section.name == name) return &section;
  }
  return nullptr;
}

}  // namespace xmppfed::testing
