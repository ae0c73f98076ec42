#include "cli/rpc/progress.h"

#include <algorithm>

namespace xmppfed::cli {
namespace {

constexpr int kBarWidth = 30;
constexpr auto kRedrawInterval = std::chrono::milliseconds(100);

}  // namespace

ProgressBar::ProgressBar(std::ostream& out, bool enabled,
                         std::uint64_t total_bytes)
    : out_(out), enabled_(enabled), total_bytes_(total_bytes) {}

std::string ProgressBar::Render(std::uint64_t records, std::uint64_t bytes,
                                std::uint64_t total_bytes) {
  std::string count = std::to_string(records) + " records";
  if (total_bytes == 0) return count;
  std::uint64_t percent =
      std::min<std::uint64_t>(100, bytes * 100 / total_bytes);
  int filled = static_cast<int>(percent * kBarWidth / 100);
  std::string bar = "[";
  for (int i = 0; i < kBarWidth; ++i) {
    bar += i < filled ? '=' : (i == filled ? '>' : ' ');
  }
  bar += "] ";
  std::string pct = std::to_string(percent) + "%";
  return bar + std::string(4 - std::min<std::size_t>(4, pct.size()), ' ') +
         pct + "  " + count;
}

void ProgressBar::Update(std::uint64_t records, std::uint64_t bytes,
                         bool force) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (!force && now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  drawn_ = true;
  out_ << '\r' << Render(records, bytes, total_bytes_) << "\x1b[K"
       << std::flush;
}

void ProgressBar::Clear() {
  if (!drawn_) return;
  drawn_ = false;
  out_ << "\r\x1b[K" << std::flush;
}

}  // namespace xmppfed::cli
