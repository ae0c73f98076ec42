#include "cli/front/front_verbs.h"

#include "cli/exit_codes.h"
#include "cli/output/writer.h"
#include "completions/completion_scripts.h"

#ifndef XMPPFED_VERSION
#error "XMPPFED_VERSION must be defined by the build"
#endif

namespace xmppfed::cli {
namespace {

// "xmppfed 0.1.0" for people; {"version": "0.1.0"} in the data formats.
int RunVersion(const Invocation& inv, std::ostream& out) {
  if (IsForPeople(inv.global.output)) {
    out << "xmppfed " << XMPPFED_VERSION << '\n';
    return kExitOk;
  }
  std::unique_ptr<RecordWriter> writer =
      MakeObjectWriter(inv.global.output, out);
  writer->Write(Record().AddString("version", XMPPFED_VERSION));
  writer->Finish();
  return kExitOk;
}

// The script exactly as in completions/ (the parser already made args[0]
// one of the shells' canonical names).
int RunCompletion(const Invocation& inv, std::ostream& out) {
  std::string_view script = completions::CompletionScript(inv.args.at(0));
  out.write(script.data(), static_cast<std::streamsize>(script.size()));
  return kExitOk;
}

}  // namespace

std::optional<int> RunFrontVerb(const Invocation& inv, std::ostream& out) {
  if (inv.verb == "version") return RunVersion(inv, out);
  if (inv.verb == "completion") return RunCompletion(inv, out);
  return std::nullopt;
}

}  // namespace xmppfed::cli
