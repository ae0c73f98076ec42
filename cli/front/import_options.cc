// import-partners: bulk create and update from CSV, NDJSON or a JSON array.
#include <array>
#include <string>
#include <string_view>

#include "cli/front/option_values.h"
#include "cli/front/verb_options.h"

namespace xmppfed::cli {
namespace {

constexpr std::array<std::string_view, 3> kImportFormatNames = {"csv", "ndjson",
                                                                "json"};

}  // namespace

void AddImportVerbs(CLI::App& app, Invocation& inv) {
  CLI::App* import = app.add_subcommand(
      "import-partners",
      "Create (and with --update, change) partners from CSV, NDJSON or a JSON "
      "array; one result per record.");
  import
      ->add_option_function<std::string>(
          "file",
          [&inv](const std::string& v) { inv.args.assign(1, v);
},
          "the records to import; - or none reads stdin")
      ->type_name("FILE|-");
import
    ->add_option("--format", inv.import.format,
                 "the input's format (default: from the file's extension; "
                 "ndjson for stdin)")
    ->transform(OneOf(kImportFormatNames))
    ->type_name(Alternatives(kImportFormatNames));
import->add_flag("--update", inv.import.update,
                 "change partners that exist instead of refusing them");
import->add_flag("--atomic", inv.import.atomic,
                 "write all records or none (one transaction)");
}  // namespace xmppfed::cli

}  // namespace xmppfed::cli
