// Pipeline input (SPEC §7): set-partner -, remove-partner -, get-partner -
// and test-partner - take their targets from stdin, one stream per run (see
// target_stream.h), and print one result per target (get-partner, and
// set-partner --pass-thru, print the partners instead) with a summary on
// stderr.
//
// A change that needs confirmation (remove-partner unless --force,
// set-partner --confirm) asks on the controlling terminal, since stdin holds
// the targets: the input is first copied to an unlinked temporary file while
// the agent plans the whole batch (--what-if), the question names what would
// change, and the real run reads the copy.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/exit_codes.h"
#include "cli/rpc/bulk_results.h"
#include "cli/rpc/records.h"
#include "cli/rpc/request_fields.h"
#include "cli/rpc/target_records.h"
#include "cli/rpc/target_stream.h"
#include "cli/rpc/verb_table.h"
#include "cli/rpc/what_if.h"

namespace xmppfed::cli {
namespace {

struct PipelineVerb {
  OpenTargetCall open;
  v1::PartnerTargetOptions options;
  // The summary's counts, in order.
  std::vector<v1::TargetStatus> counted;
  // The verb writes: --what-if and --atomic apply, and it may ask first
  // (always unless --force when `asks_by_default`, else with --confirm).
  bool writes = false;
  bool asks_by_default = false;
  // The question's verb ("Remove") and the status of a target it changes.
  std::string change;
  v1::TargetStatus changing = v1::TARGET_STATUS_UNSPECIFIED;
  // Print the partners (as get-partner) instead of the results; failed
  // targets go to stderr.
  bool print_partners = false;
  // The partners carry their federation status (get-partner -).
  bool partner_status = false;
  // The "What if:" line of a result under --what-if ("" for none).
  std::function<std::string(const v1::TargetResult&)> what_if;
};

struct FileCloser {
  void operator()(FILE* file) const { std::fclose(file); }
};
using Spool = std::unique_ptr<FILE, FileCloser>;

// Plans the run on a copy of stdin kept in `spool` and asks on `terminal`
// whether to go ahead: kExitOk to go ahead, else the exit code.
int PlanAndAsk(VerbContext& context, const PipelineVerb& verb,
               TerminalPrompt& terminal, FILE* spool) {
  const Invocation& inv = context.invocation();
  v1::PartnerTargetOptions plan = verb.options;
  plan.set_what_if(true);
  plan.set_with_partners(false);
  std::vector<std::string> names;
  std::uint64_t changes = 0;
  TargetReader reader(STDIN_FILENO, ::fileno(spool));
  TargetRun run =
      StreamTargets(context, verb.open, plan, reader, inv.pipeline.from_input,
                    [&](const v1::TargetResult& result) {
                      if (result.status() != verb.changing) return;
                      ++changes;
                      if (names.size() < kNamesShown) {
                        names.push_back(result.identity());
                      }
                    });
  if (!run.input_error.empty()) {
    std::cerr << "xmppfed: " << inv.verb << ": " << run.input_error
              << "; nothing was written\n";
    return kExitRefused;
  }
  if (!run.status.ok()) return context.Fail(run.status, "");
  if (changes == 0) return kExitOk;  // nothing to ask about
  // The targets the change would not apply to, by status.
  std::vector<v1::TargetStatus> others;
  for (v1::TargetStatus status : verb.counted) {
    if (status != verb.changing && TargetCount(run.summary, status) > 0) {
      others.push_back(status);
    }
  }
  std::string question = verb.change + " " + PartnerCount(changes) +
                         " named on stdin: " + NameList(names, changes);
  if (!others.empty()) {
    question += " (other targets: " + TargetCounts(run.summary, others) + ")";
  }
  question += "?";
  return context.ConfirmChangeOnTerminal(verb.asks_by_default, question,
                                         terminal.io());
}

void PrintSummary(VerbContext& context, const PipelineVerb& verb,
                  const WarningTally& warnings,
                  const v1::TargetSummary& summary) {
  const Invocation& inv = context.invocation();
  for (const std::string& line : warnings.Lines("target")) {
    context.Warn("", line);
  }
  std::string counts = TargetCounts(summary, verb.counted);
  if (verb.writes && inv.global.what_if) {
    context.WhatIf("would have " + counts + "; nothing was written");
  } else if (verb.writes && inv.pipeline.atomic && AnyTargetFailed(summary)) {
    std::cerr << "xmppfed: " << inv.verb << ": " << counts
              << "; nothing was written (--atomic)\n";
  } else {
    context.Note(inv.verb + ": " + counts);
  }
}

int RunPipeline(VerbContext& context, const PipelineVerb& verb) {
  const Invocation& inv = context.invocation();
  int input = STDIN_FILENO;
  Spool spool;
  bool asks = verb.writes && !inv.global.what_if && !inv.global.force &&
              (verb.asks_by_default || inv.global.confirm);
  if (asks) {
    TerminalPrompt terminal;
    if (!terminal.io().stdin_is_terminal) return context.NoTerminalToAsk();
    spool.reset(std::tmpfile());
    if (spool == nullptr) {
      std::cerr << "xmppfed: " << inv.verb
                << ": cannot make a temporary file to keep stdin in: "
                << std::strerror(errno) << '\n';
      return kExitRefused;
    }
    if (int code = PlanAndAsk(context, verb, terminal, spool.get())) {
      return code;
    }
    input = ::fileno(spool.get());
    ::lseek(input, 0, SEEK_SET);
  }

  std::unique_ptr<RecordWriter> writer = context.ListWriter(
      verb.print_partners ? PartnerListLayout(verb.partner_status)
                          : BulkResultLayout());
  WarningTally warnings;
  TargetReader reader(input);
  TargetRun run = StreamTargets(
      context, verb.open, verb.options, reader, inv.pipeline.from_input,
      [&](const v1::TargetResult& result) {
        warnings.Add(result.warnings(), result.identity(), result.line());
        if (inv.global.what_if && verb.what_if) {
          if (std::string line = verb.what_if(result); !line.empty()) {
            std::cout.flush();
            context.WhatIf(line);
          }
        }
        if (!verb.print_partners) {
          writer->Write(TargetResultRecord(result));
        } else if (result.has_partner()) {
          writer->Write(PartnerRecordFor(inv.global.output, result.partner()));
        } else {
          std::cout.flush();
          std::cerr << "xmppfed: " << inv.verb << ": line " << result.line()
                    << ": " << result.error() << '\n';
        }
      });
  if (!run.input_error.empty()) {
    std::cout.flush();
    std::cerr << "xmppfed: " << inv.verb << ": " << run.input_error << '\n';
    if (verb.writes && (inv.pipeline.atomic || inv.global.what_if)) {
      std::cerr << "xmppfed: " << inv.verb << ": nothing was written\n";
    }
    return kExitRefused;
  }
  if (!run.status.ok()) return context.Fail(run.status, "");
  writer->Finish();
  PrintSummary(context, verb, warnings, run.summary);
  return TargetsExitCode(run.summary);
}

}  // namespace

int RunSetPartnerTargets(VerbContext& context) {
  const Invocation& inv = context.invocation();
  PipelineVerb verb;
  verb.open = [&context](grpc::ClientContext* call) {
    return context.partners().SetPartnerTargets(call);
  };
  *verb.options.mutable_fields() = ToPartnerFields(inv.partner);
  verb.options.set_what_if(inv.global.what_if);
  verb.options.set_atomic(inv.pipeline.atomic);
  verb.options.set_with_partners(inv.pass_thru || inv.global.what_if);
  verb.counted = {v1::TARGET_STATUS_UPDATED, v1::TARGET_STATUS_UNCHANGED,
                  v1::TARGET_STATUS_NOT_FOUND, v1::TARGET_STATUS_REFUSED};
  verb.writes = true;
  verb.change = "Change";
  verb.changing = v1::TARGET_STATUS_UPDATED;
  verb.print_partners = inv.pass_thru;
  verb.what_if = [](const v1::TargetResult& result) -> std::string {
    if (result.status() != v1::TARGET_STATUS_UPDATED) return "";
    return "Changing partner " + result.identity() + ": " +
           DescribePartnerChange(result.before(), result.partner());
  };
  return RunPipeline(context, verb);
}

int RunRemovePartnerTargets(VerbContext& context) {
  const Invocation& inv = context.invocation();
  PipelineVerb verb;
  verb.open = [&context](grpc::ClientContext* call) {
    return context.partners().RemovePartnerTargets(call);
  };
  verb.options.set_what_if(inv.global.what_if);
  verb.options.set_atomic(inv.pipeline.atomic);
  verb.counted = {v1::TARGET_STATUS_REMOVED, v1::TARGET_STATUS_NOT_FOUND,
                  v1::TARGET_STATUS_REFUSED};
  verb.writes = true;
  verb.asks_by_default = true;
  verb.change = "Remove";
  verb.changing = v1::TARGET_STATUS_REMOVED;
  verb.what_if = [](const v1::TargetResult& result) -> std::string {
    if (result.status() != v1::TARGET_STATUS_REMOVED) return "";
    return "Removing partner " + result.identity();
  };
  return RunPipeline(context, verb);
}

int RunGetPartnerTargets(VerbContext& context) {
  PipelineVerb verb;
  verb.open = [&context](grpc::ClientContext* call) {
    return context.partners().GetPartnerTargets(call);
  };
  verb.options.set_with_partners(true);
  verb.counted = {v1::TARGET_STATUS_FOUND, v1::TARGET_STATUS_NOT_FOUND,
                  v1::TARGET_STATUS_REFUSED};
  verb.print_partners = true;
  verb.partner_status = true;
  return RunPipeline(context, verb);
}

int RunTestPartnerTargets(VerbContext& context) {
  PipelineVerb verb;
  verb.open = [&context](grpc::ClientContext* call) {
    return context.checks().TestPartnerTargets(call);
  };
  verb.options.set_timeout_seconds(context.invocation().test_timeout_seconds);
  verb.counted = {v1::TARGET_STATUS_PASSED, v1::TARGET_STATUS_FAILED,
                  v1::TARGET_STATUS_NOT_FOUND, v1::TARGET_STATUS_REFUSED};
  return RunPipeline(context, verb);
}

}  // namespace xmppfed::cli
