// import-partners: bulk create and update from CSV, NDJSON or a JSON array.
#include <array>
#include <string>
#include <string_view>

#include "cli/front/help_format.h"
#include "cli/front/option_values.h"
#include "cli/front/verb_options.h"

namespace xmppfed::cli {
namespace {

constexpr std::array<std::string_view, 3> kImportFormatNames = {"csv", "ndjson",
                                                                "json"};
// What PowerShell's Export-Csv -Delimiter (or -UseCulture) may write.
constexpr std::array<std::string_view, 3> kDelimiterNames = {",", ";", "tab"};

}  // namespace

void AddImportVerbs(CLI::App& app, Invocation& inv) {
  // Not named `import`: clang-format reads that as a C++20 module import.
  CLI::App* verb = app.add_subcommand(
      "import-partners",
      "Create (and with --update, change) partners from CSV, NDJSON or a JSON "
      "array; one result per record.");
  verb->add_option_function<std::string>(
          "file", [&inv](const std::string& v) { inv.args.assign(1, v); },
          "the records to import; - or none reads stdin")
      ->type_name("FILE|-");
  verb->add_option("--format", inv.import.format,
                   "the input's format (default: from the file's extension; "
                   "ndjson for stdin)")
      ->transform(OneOf(kImportFormatNames))
      ->type_name(Alternatives(kImportFormatNames));
  verb->add_flag("--update", inv.import.update,
                 "change partners that exist instead of refusing them");
  verb->add_flag("--atomic", inv.import.atomic,
                 "write all records or none (one transaction)");
  verb->add_option_function<std::string>(
          "--delimiter",
          [&inv](const std::string& v) {
            inv.import.delimiter = v == "tab" ? '\t' : v.front();
          },
          "what separates CSV fields (default ,)")
      ->transform(OneOf(kDelimiterNames))
      ->type_name(Alternatives(kDelimiterNames));
  SetExamples(*verb, {"xmppfed import-partners --what-if partners.csv",
                      "xmppfed get-partner -o ndjson > backup.ndjson && "
                      "xmppfed import-partners --update backup.ndjson",
                      "xmppfed import-partners --delimiter ';' sfb.csv"});
}

}  // namespace xmppfed::cli
