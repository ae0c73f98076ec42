// A one-line progress bar on stderr for long runs (import-partners): redrawn
// in place at most ten times a second, erased when done. Callers enable it
// only when stderr is a terminal, so logs and pipes never see it.
#ifndef XMPPFED_CLI_RPC_PROGRESS_H_
#define XMPPFED_CLI_RPC_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

namespace xmppfed::cli {

class ProgressBar {
 public:
  // `total_bytes` 0: the size of the input is unknown (a pipe), so only the
  // count is shown.
  ProgressBar(std::ostream& out, bool enabled, std::uint64_t total_bytes);
  ~ProgressBar() { Clear(); }

  // Redraws unless it was drawn less than 100 ms ago (or `force`).
  void Update(std::uint64_t records, std::uint64_t bytes, bool force = false);
  // Erases the line (before other output goes to the terminal).
  void Clear();

  // The text of the bar, without the carriage return: "[=====>    ]  45%
  // 45000 records" or "12000 records".
  static std::string Render(std::uint64_t records, std::uint64_t bytes,
                            std::uint64_t total_bytes);

 private:
  std::ostream& out_;
  bool enabled_;
  std::uint64_t total_bytes_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_RPC_PROGRESS_H_
