// `xmppfed __cli-spec` (format: cli/front/cli_spec.h) read back: the
// command line the completion scripts must cover.
#ifndef XMPPFED_TESTS_INTEGRATION_COMPLETION_CLI_SPEC_READER_H_
#define XMPPFED_TESTS_INTEGRATION_COMPLETION_CLI_SPEC_READER_H_

#include <string>
#include <vector>

namespace xmppfed::testing {

struct SpecItem {
  // "global", "option" or "positional".
  std::string kind;
  // The verb; "-" for a global option.
  std::string verb;
  // Option spellings ("-o", "--output"); a positional's name.
  std::vector<std::string> names;
  // The value's type name: "PATH", "true|false", ...; empty for a flag.
  std::string value;

  // The words of `value` a user types literally ("true", "Federated",
  // "csv"); placeholders in capitals (FILE, N) and "-" are not among them.
  std::vector<std::string> Literals() const;
  // True when the value names a file (FILE or PATH among its alternatives).
  bool TakesFile() const;
};

struct CliSpec {
  std::vector<std::string> verbs;
  std::vector<SpecItem> items;
};

// Parses the text; fails (returns false, `error` set) on a malformed line.
bool ParseCliSpec(const std::string& text, CliSpec* spec, std::string* error);

}  // namespace xmppfed::testing

#endif  // XMPPFED_TESTS_INTEGRATION_COMPLETION_CLI_SPEC_READER_H_
