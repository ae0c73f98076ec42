// import-partners: reads CSV, NDJSON or a JSON array one record at a time
// and streams the records to the agent in batches, while a second thread
// prints the results as they come back, so neither side ever holds the
// whole input.
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <thread>

#include "cli/exit_codes.h"
#include "cli/input/record_reader.h"
#include "cli/rpc/bulk_results.h"
#include "cli/rpc/bulk_stream.h"
#include "cli/rpc/import_records.h"
#include "cli/rpc/progress.h"
#include "cli/rpc/verb_table.h"
#include "cli/rpc/what_if.h"

namespace xmppfed::cli {
namespace {

std::string_view StatusName(v1::ImportStatus status) {
  switch (status) {
    case v1::IMPORT_STATUS_CREATED:
      return "created";
    case v1::IMPORT_STATUS_UPDATED:
      return "updated";
    case v1::IMPORT_STATUS_UNCHANGED:
      return "unchanged";
    default:
      return "refused";
  }
}

// With --what-if a result also says what would change: as objects in the
// JSON formats, as one line of text in a table or CSV.
Record ResultRecord(const v1::ImportResult& result, bool what_if,
                    OutputFormat format) {
  Record record = BulkResultRecord(
      result.line(), result.identity(), StatusName(result.status()),
      result.status() == v1::IMPORT_STATUS_REFUSED ? result.error() : "");
  if (what_if) {
    const v1::Partner* before =
        result.has_before() ? &result.before() : nullptr;
    bool json =
        format == OutputFormat::kJson || format == OutputFormat::kNdjson;
    if (!result.has_after()) {
      json ? record.AddRecords("changes", {}) : record.AddString("changes", "");
    } else if (json) {
      record.AddRecords("changes",
                        PartnerChangeRecords(before, result.after()));
    } else {
      record.AddString("changes",
                       DescribePartnerChanges(before, result.after()));
    }
  }
  return record;
}

ListLayout ResultLayout(bool what_if) {
  ListLayout layout = BulkResultLayout();
  if (what_if) {
    layout.keys.push_back("changes");
    layout.table_columns.push_back({"changes", "Changes", 0});
  }
  return layout;
}

// What the results thread gathers for the summary.
struct Tally {
  v1::ImportSummary summary;
  bool summary_received = false;
  WarningTally warnings;
};

std::string Counts(const v1::ImportSummary& s) {
  return std::to_string(s.created()) + " created, " +
         std::to_string(s.updated()) + " updated, " +
         std::to_string(s.unchanged()) + " unchanged, " +
         std::to_string(s.refused()) + " refused";
}

// The input: a file, or stdin for "-" or none.
struct Input {
  std::ifstream file;
  std::istream* stream = nullptr;
  std::string name;
  std::uint64_t size = 0;  // 0 when unknown
};

bool OpenInput(const Invocation& inv, Input& input, std::string& error) {
  std::string path = inv.args.empty() ? "-" : inv.args.front();
  if (path == "-") {
    input.stream = &std::cin;
    input.name = "stdin";
    return true;
  }
  input.file.open(path, std::ios::binary);
  if (!input.file) {
    error = "cannot read " + path + ": " + std::strerror(errno);
    return false;
  }
  struct stat info;
  if (::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode)) {
    input.size = static_cast<std::uint64_t>(info.st_size);
  }
  input.stream = &input.file;
  input.name = path;
  return true;
}

void PrintSummary(VerbContext& context, const Tally& tally, bool what_if,
                  bool atomic) {
  for (const std::string& line : tally.warnings.Lines("record")) {
    context.Warn("", line);
  }
  const v1::ImportSummary& summary = tally.summary;
  if (what_if) {
    context.WhatIf("would have " + Counts(summary) + "; nothing was written");
    return;
  }
  if (atomic && summary.refused() > 0) {
    std::cerr << "xmppfed: import-partners: " << summary.refused()
              << " refused; nothing was written (--atomic)\n";
    return;
  }
  context.Note("import-partners: " + Counts(summary));
}

}  // namespace

int RunImportPartners(VerbContext& context) {
  const Invocation& inv = context.invocation();
  Input input;
  std::string error;
  if (!OpenInput(inv, input, error)) return context.UsageError(error);
  if (inv.global.confirm && input.stream == &std::cin) {
    return context.UsageError(
        "--confirm reads the answer from stdin, which holds the records; "
        "give a FILE");
  }
  if (int code = context.ConfirmChange(
          false, "Import the partners of " + input.name + "?")) {
    return code;
  }
  std::optional<InputFormat> format = ParseInputFormat(inv.import.format);
  if (!format && input.stream != &std::cin) {
    format = FormatFromFileName(input.name);
  }
  RecordReaderOptions reading;
  reading.csv_columns = ImportKeys();
  reading.csv_delimiter = inv.import.delimiter;
  std::unique_ptr<RecordReader> reader =
      MakeRecordReader(format, *input.stream, reading);

  grpc::ClientContext call;
  context.PrepareStream(call);
  auto stream = context.partners().ImportPartners(&call);

  std::atomic<std::uint64_t> bytes_read{0};
  Tally tally;
  std::unique_ptr<RecordWriter> writer =
      context.ListWriter(ResultLayout(inv.global.what_if));
  bool progress_wanted = ::isatty(STDERR_FILENO) && !inv.global.quiet;
  std::thread results([&] {
    ProgressBar progress(std::cerr, progress_wanted, input.size);
    std::uint64_t done = 0;
    v1::ImportPartnersReply reply;
    while (stream->Read(&reply)) {
      progress.Clear();
      for (const v1::ImportResult& result : reply.results()) {
        writer->Write(
            ResultRecord(result, inv.global.what_if, inv.global.output));
        tally.warnings.Add(result.warnings(), result.identity(), result.line());
      }
      std::cout.flush();
      done += static_cast<std::uint64_t>(reply.results_size());
      progress.Update(done, bytes_read.load(), /*force=*/true);
      if (reply.last()) {
        tally.summary = reply.summary();
        tally.summary_received = true;
      }
    }
  });

  v1::ImportPartnersRequest request;
  v1::ImportOptions* options = request.mutable_options();
  options->set_update(inv.import.update);
  options->set_atomic(inv.import.atomic);
  options->set_what_if(inv.global.what_if);
  bool sending = true;
  std::size_t batch_bytes = 0;
  InputRecord record;
  while (sending && reader->Next(&record)) {
    v1::ImportRecord* added = request.add_records();
    *added = ToImportRecord(record);
    std::size_t size = added->ByteSizeLong();
    // The readers bound a record's text; its message (the agent's limits
    // allow at most 1000 domains of 253 bytes and 1024 characters) must
    // stay far below gRPC's 4 MB too, its identity included.
    if (size > kMaxRecordBytes) {
      std::string identity = CutForError(added->identity(), 256);
      added->Clear();
      added->set_line(record.line);
      added->set_identity(identity);
      added->set_input_error("the record is larger than " +
                             std::to_string(kMaxRecordBytes) + " bytes");
      size = added->ByteSizeLong();
    }
    batch_bytes += size;
    bytes_read.store(reader->bytes_read());
    if (request.records_size() >= kBatchRecords || batch_bytes >= kBatchBytes) {
      sending = stream->Write(request);
      request.Clear();
      batch_bytes = 0;
    }
  }
  bool fatal = !reader->fatal_error().empty();
  bool all_or_nothing = inv.import.atomic || inv.global.what_if;
  FinishSending(call, *stream, request, sending, fatal, all_or_nothing);
  results.join();
  grpc::Status status = stream->Finish();

  if (fatal) {
    std::cout.flush();
    std::cerr << "xmppfed: import-partners: " << input.name << ": "
              << reader->fatal_error() << '\n';
    bool written = !all_or_nothing && tally.summary_received &&
                   tally.summary.created() + tally.summary.updated() > 0;
    if (!written) {
      std::cerr << "xmppfed: import-partners: nothing was written\n";
      return kExitRefused;
    }
    // Exit 1 would claim that nothing changed: the records before the
    // error are in the store, the rest of the input was not read.
    std::cerr << "xmppfed: import-partners: the records before it were "
                 "imported ("
              << Counts(tally.summary)
              << "); nothing after it was read: fix the file and import it "
                 "again with --update\n";
    return kExitPartial;
  }
  if (!status.ok()) return context.Fail(status, input.name);
  writer->Finish();
  PrintSummary(context, tally, inv.global.what_if, inv.import.atomic);
  return tally.summary.refused() > 0 ? kExitPartial : kExitOk;
}

}  // namespace xmppfed::cli
