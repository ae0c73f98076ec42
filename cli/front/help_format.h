// The help text in the CLI's own words: an option shows the name of its
// value ("--timeout SECONDS"), a positional its value's name ("IDENTITY"),
// and nothing of CLI11's internals leaks in (":INT in [1 - 300]",
// "=default", "Excludes: ...", " ..."): what an option accepts and its
// default belong in its description, written for people.
#ifndef XMPPFED_CLI_FRONT_HELP_FORMAT_H_
#define XMPPFED_CLI_FRONT_HELP_FORMAT_H_

#include <CLI/CLI.hpp>
#include <initializer_list>
#include <string>

namespace xmppfed::cli {

class HelpFormatter : public CLI::Formatter {
 public:
  HelpFormatter();
  std::string make_option_name(const CLI::Option* option,
                               bool positional) const override;
  std::string make_option_opts(const CLI::Option* option) const override;
};

// The verb's Examples section (its help's footer), one command line each.
void SetExamples(CLI::App& verb, std::initializer_list<const char*> examples);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_FRONT_HELP_FORMAT_H_
