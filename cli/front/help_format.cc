#include "cli/front/help_format.h"

namespace xmppfed::cli {

HelpFormatter::HelpFormatter() {
  label("Positionals", "Arguments");
  label("SUBCOMMAND", "VERB");
}

std::string HelpFormatter::make_option_name(const CLI::Option* option,
                                            bool positional) const {
  if (!positional) return option->get_name(false, true);
  std::string name = option->get_type_name();
  return name.empty() ? option->get_name(true, false) : name;
}

std::string HelpFormatter::make_option_opts(const CLI::Option* option) const {
  if (option->get_positional() && !option->nonpositional()) return "";
  if (option->get_type_size() == 0 || option->get_type_name().empty()) {
    return "";
  }
  return " " + option->get_type_name();
}

void SetExamples(CLI::App& verb, std::initializer_list<const char*> examples) {
  std::string footer = "Examples:";
  for (const char* example : examples) {
    footer += "\n  ";
    footer += example;
  }
  verb.footer(footer);
}

}  // namespace xmppfed::cli
