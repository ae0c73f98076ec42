// The agent's configuration file: the part of TOML it uses, read with the
// line of every key so that a mistake is reported where it is.
//
// Accepted: `key = value` lines at the top level, with a value that is a
// basic string ("..." with TOML's escapes), a literal string ('...'), an
// integer, true or false, or an array of those (which may span lines and end
// in a comma); comments (#) and blank lines. Anything else (tables, dotted
// keys, dates, a key given twice) is an error naming the file, the line and
// what is wrong. CLI11's own reader forgets lines and accepts some broken
// values, hence this one.
#ifndef XMPPFED_AGENT_CONFIG_TOML_FILE_H_
#define XMPPFED_AGENT_CONFIG_TOML_FILE_H_

#include <istream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace xmppfed::config {

struct TomlEntry {
  std::string key;
  // Strings as written; integers and booleans as their text.
  std::vector<std::string> values;
  bool is_array = false;
  int line = 0;  // of the key, from 1
};

// INVALID_ARGUMENT "FILE:LINE: what" for a syntax error, NOT_FOUND or
// PERMISSION_DENIED "FILE: ..." when it cannot be read.
absl::StatusOr<std::vector<TomlEntry>> ReadTomlFile(const std::string& path);

// The same from a stream; `name` stands for the file in messages.
absl::StatusOr<std::vector<TomlEntry>> ParseToml(std::istream& in,
                                                 const std::string& name);

}  // namespace xmppfed::config

#endif  // XMPPFED_AGENT_CONFIG_TOML_FILE_H_
