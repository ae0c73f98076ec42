// The per-record results of the bulk verbs, import-partners and pipeline
// input (SPEC §5, §7): {"line", "identity", "status", "error"} in every
// -o format (error only when there is one), and the warnings tallied for
// the summary on stderr.
#ifndef XMPPFED_CLI_RPC_BULK_RESULTS_H_
#define XMPPFED_CLI_RPC_BULK_RESULTS_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cli/output/record.h"
#include "cli/output/writer.h"

namespace xmppfed::cli {

// line, identity, status, error: the CSV header and the table's columns.
ListLayout BulkResultLayout();

// One result; `error` is left out when empty.
Record BulkResultRecord(std::uint64_t line, std::string_view identity,
                        std::string_view status, std::string_view error);

// Each distinct warning with the number of records it came with, so that
// 100,000 records with the same warning print it once.
class WarningTally {
 public:
  template <typename Warnings>
  void Add(const Warnings& warnings) {
    for (const std::string& warning : warnings) ++counts_[warning];
  }

  // "3 records: text" (`noun` "record") for each, in text order.
  std::vector<std::string> Lines(std::string_view noun) const;

 private:
  std::map<std::string, std::uint64_t> counts_;
};

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_RPC_BULK_RESULTS_H_
