// A man page in mdoc(7) source, read as the tests need it: its sections and
// subsections as text in which the macros are gone but what they print
// stays ("Fl -socket Ar PATH" reads "--socket PATH"), and the heads of its
// list items. No mandoc needed.
#ifndef XMPPFED_TESTS_DOCS_MAN_SOURCE_H_
#define XMPPFED_TESTS_DOCS_MAN_SOURCE_H_

#include <string>
#include <string_view>
#include <vector>

namespace xmppfed::testing {

struct ManSubsection {
  std::string name;  // "" for the text before the first .Ss
  std::string text;
  std::vector<std::string> items;  // the text of each .It line
};

struct ManSection {
  std::string name;  // e.g. "EXIT STATUS"
  std::vector<ManSubsection> subsections;
  // All the section's text, subsections included.
  std::string Text() const;
  const ManSubsection* FindSubsection(std::string_view name) const;
  std::vector<std::string> Items() const;
};

class ManPage {
 public:
  static ManPage Parse(std::string_view source);
  // Reads `path`; an empty page if it cannot be read.
  static ManPage Load(const std::string& path);

  const std::vector<ManSection>& sections() const { return sections_; }
  const ManSection* FindSection(std::string_view name) const;

 private:
  std::vector<ManSection> sections_;
};

// The text one mdoc line prints, e.g. ".It Fl o , Fl -output" -> "-o ,
// --output". Exposed for the tests of this reader.
std::string RenderMdocLine(std::string_view line);

// True when `word` occurs in `text` with no letter, digit, '-' or '_' right
// before or after it ("--identity" is not found in "--identity-x").
bool ContainsWord(std::string_view text, std::string_view word);

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_DOCS_MAN_SOURCE_H_
