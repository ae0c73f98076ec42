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

// Each distinct warning with the records it came with, so that 100,000
// records with the same warning print it once, naming the first few.
class WarningTally {
 public:
  // At most this many records named for one warning.
  static constexpr std::size_t kNamed = 10;

  // Warnings of a record known by its identity and line.
  template <typename Warnings>
  void Add(const Warnings& warnings, std::string_view identity,
           std::uint64_t line) {
    for (const std::string& warning : warnings) {
      Records& records = warnings_[warning];
      if (records.named.size() < kNamed) {
        records.named.push_back(std::string(identity) + " (line " +
                                std::to_string(line) + ")");
      }
      ++records.count;
    }
  }
  // Warnings of a record that is not named.
  template <typename Warnings>
  void Add(const Warnings& warnings) {
    for (const std::string& warning : warnings) ++warnings_[warning].count;
  }

  // For each warning, in text order: "a.com (line 2), b.com (line 3) and 8
  // more: text" when its records were named, else "3 records: text"
  // (`noun` "record").
  std::vector<std::string> Lines(std::string_view noun) const;

 private:
  struct Records {
    std::vector<std::string> named;
    std::uint64_t count = 0;
  };
  std::map<std::string, Records> warnings_;
};

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_RPC_BULK_RESULTS_H_
