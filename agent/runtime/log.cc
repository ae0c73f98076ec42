#include "agent/runtime/log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <mutex>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "agent/runtime/log_line.h"

namespace xmppfed::runtime {
namespace {

// Lines are written to one descriptor that never changes number: a copy of
// standard error at first, replaced in place (dup2) by a log file, a
// reopened log file or standard error again. So a line being written while
// the log is switched goes whole to the old target or whole to the new one,
// and no descriptor a writer may still use is ever closed.
std::atomic<int> g_fd{-1};
std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
std::atomic<int> g_format{static_cast<int>(LogFormat::kText)};
std::atomic<bool> g_journal{false};
// Serialises ConfigureLog and ReopenLog; Log never takes it.
std::mutex g_configure_mutex;
std::string g_file;  // guarded by g_configure_mutex

int LogDescriptor() {
  int fd = g_fd.load(std::memory_order_acquire);
  return fd < 0 ? STDERR_FILENO : fd;
}

// Called with g_configure_mutex held.
int OwnDescriptor() {
  int fd = g_fd.load(std::memory_order_acquire);
  if (fd >= 0) return fd;
  fd = ::fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
  if (fd >= 0) g_fd.store(fd, std::memory_order_release);
  return fd;
}

// JOURNAL_STREAM ("DEVICE:INODE") is set by systemd when it connects
// standard error to the journal; a child with stderr redirected inherits the
// variable, so the descriptor itself must match.
bool StderrIsJournal() {
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (stream == nullptr) return false;
  struct stat info;
  if (::fstat(STDERR_FILENO, &info) != 0) return false;
  return std::string(stream) ==
         absl::StrCat(static_cast<unsigned long long>(info.st_dev), ":",
                      static_cast<unsigned long long>(info.st_ino));
}

// Points the log descriptor at `file` (standard error when empty).
absl::Status Target(const std::string& file) {
  int fd = OwnDescriptor();
  if (fd < 0) {
    return absl::ErrnoToStatus(errno, "cannot copy standard error for the log");
  }
  if (file.empty()) {
    if (::dup2(STDERR_FILENO, fd) < 0) {
      return absl::ErrnoToStatus(errno, "cannot log to standard error");
    }
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    return absl::OkStatus();
  }
  int opened =
      ::open(file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (opened < 0) {
    return absl::ErrnoToStatus(
        errno, absl::StrCat("log-file=", file, ": cannot open it"));
  }
  int error = ::dup2(opened, fd) < 0 ? errno : 0;
  ::close(opened);
  if (error != 0) {
    return absl::ErrnoToStatus(error,
                               absl::StrCat("log-file=", file, ": cannot use"));
  }
  ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  return absl::OkStatus();
}

}  // namespace

std::string_view LogLevelName(LogLevel level) {
  return kLogLevelNames[static_cast<std::size_t>(level)];
}

std::optional<LogLevel> ParseLogLevel(std::string_view name) {
  for (std::size_t i = 0; i < kLogLevelNames.size(); ++i) {
    if (kLogLevelNames[i] == name) return static_cast<LogLevel>(i);
  }
  return std::nullopt;
}

std::optional<LogFormat> ParseLogFormat(std::string_view name) {
  for (std::size_t i = 0; i < kLogFormatNames.size(); ++i) {
    if (kLogFormatNames[i] == name) return static_cast<LogFormat>(i);
  }
  return std::nullopt;
}

absl::Status ConfigureLog(const LogSettings& settings) {
  std::lock_guard<std::mutex> lock(g_configure_mutex);
  if (settings.file != g_file || g_fd.load() < 0) {
    if (absl::Status targeted = Target(settings.file); !targeted.ok()) {
      return targeted;
    }
    g_file = settings.file;
  }
  g_journal.store(settings.file.empty() && StderrIsJournal());
  g_level.store(static_cast<int>(settings.level));
  g_format.store(static_cast<int>(settings.format));
  return absl::OkStatus();
}

absl::Status ReopenLog() {
  std::lock_guard<std::mutex> lock(g_configure_mutex);
  if (g_file.empty()) return absl::OkStatus();
  return Target(g_file);
}

bool LogEnabled(LogLevel level) {
  return static_cast<int>(level) >= g_level.load(std::memory_order_relaxed);
}

void Log(LogLevel level, std::string_view event, std::string_view details) {
  if (!LogEnabled(level)) return;
  LogLineStyle style{
      static_cast<LogFormat>(g_format.load(std::memory_order_relaxed)),
      g_journal.load(std::memory_order_relaxed)};
  std::string line = FormatLogLine(style, absl::Now(), level, event, details);
  // One write per line keeps lines whole when several threads log at once.
  ssize_t ignored = ::write(LogDescriptor(), line.data(), line.size());
  (void)ignored;
}

}  // namespace xmppfed::runtime
