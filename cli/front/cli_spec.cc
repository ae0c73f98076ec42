#include "cli/front/cli_spec.h"

#include <sstream>

namespace xmppfed::cli {
namespace {

bool IsHelp(const CLI::Option* option) {
  for (const std::string& name : option->get_lnames()) {
    if (name == "help" || name == "help-all") return true;
  }
  return false;
}

std::string Names(const CLI::Option* option) {
  std::string names;
  for (const std::string& name : option->get_snames()) {
    names += (names.empty() ? "-" : " -") + name;
  }
  for (const std::string& name : option->get_lnames()) {
    names += (names.empty() ? "--" : " --") + name;
  }
  return names;
}

std::string Value(const CLI::Option* option) {
  if (option->get_expected_min() == 0) return "";
  return option->get_type_name();
}

void DescribeOptions(const CLI::App& app, const std::string& kind,
                     const std::string& verb, std::ostream& out) {
  for (const CLI::Option* option : app.get_options()) {
    if (IsHelp(option)) continue;
    // Hidden (empty group): an old spelling kept for scripts, which neither
    // help nor the completions offer.
    if (option->get_group().empty()) continue;
    if (option->get_positional() && !option->nonpositional()) {
      out << "positional\t" << verb << '\t' << option->get_name() << '\t'
          << option->get_type_name() << '\n';
      continue;
    }
    out << kind << '\t' << verb << '\t' << Names(option) << '\t'
        << Value(option) << '\n';
  }
}

}  // namespace

std::string DescribeCommandLine(const CLI::App& app) {
  std::ostringstream out;
  DescribeOptions(app, "global", "-", out);
  for (const CLI::App* verb : app.get_subcommands({})) {
    if (verb->get_group().empty()) continue;
    out << "verb\t" << verb->get_name() << "\t-\t-\n";
    DescribeOptions(*verb, "option", verb->get_name(), out);
  }
  return out.str();
}

}  // namespace xmppfed::cli
