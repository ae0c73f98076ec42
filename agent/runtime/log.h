// The agent's log: one line per event, "TIME LEVEL event key=value ...", on
// standard error or in a file (--log-file), or the same as one JSON object
// per line (--log-format json). Lines below the configured level
// (--log-level) are dropped. When standard error is the systemd journal
// (JOURNAL_STREAM names it), each line starts with its syslog priority
// ("<4>") and leaves the time to the journal.
//
// Contract: callers never pass secrets (dialback passphrase, component secret,
// keys) or message bodies; values are escaped so that one event stays on one
// line whatever a peer sends. Every function is safe to call from any thread.
#ifndef XMPPFED_AGENT_RUNTIME_LOG_H_
#define XMPPFED_AGENT_RUNTIME_LOG_H_

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace xmppfed::runtime {

// In order of severity. Which to use: debug for detail only a developer
// wants; info for routine events (a stream opened or closed); notice for
// significant normal events (start, stop, reload, a configuration change);
// warning for failures and refusals the edge survives (a partner's stream
// failed, a setup that cannot work); error for failures of the agent itself.
enum class LogLevel { kDebug, kInfo, kNotice, kWarning, kError };

enum class LogFormat { kText, kJson };

// Indexed by the enums, as accepted by --log-level and --log-format.
inline constexpr std::array<std::string_view, 5> kLogLevelNames = {
    "debug", "info", "notice", "warning", "error"};
inline constexpr std::array<std::string_view, 2> kLogFormatNames = {"text",
                                                                    "json"};

std::string_view LogLevelName(LogLevel level);
// Exact lower-case names only.
std::optional<LogLevel> ParseLogLevel(std::string_view name);
std::optional<LogFormat> ParseLogFormat(std::string_view name);

struct LogSettings {
  LogLevel level = LogLevel::kInfo;
  LogFormat format = LogFormat::kText;
  // Empty: standard error.
  std::string file;
};

// Applies `settings` to every later line. A file is opened (appending,
// created if missing) before anything changes; when it cannot be, the
// error names it and the log stays as it was.
absl::Status ConfigureLog(const LogSettings& settings);

// Opens the log file again by its name (after logrotate moved it away);
// nothing to do when the log is standard error.
absl::Status ReopenLog();

// False when a line of `level` would be dropped: callers may skip building
// its details.
bool LogEnabled(LogLevel level);

void Log(LogLevel level, std::string_view event, std::string_view details = {});

inline void LogDebug(std::string_view event, std::string_view details = {}) {
  Log(LogLevel::kDebug, event, details);
}
inline void LogInfo(std::string_view event, std::string_view details = {}) {
  Log(LogLevel::kInfo, event, details);
}
inline void LogNotice(std::string_view event, std::string_view details = {}) {
  Log(LogLevel::kNotice, event, details);
}
inline void LogWarning(std::string_view event, std::string_view details = {}) {
  Log(LogLevel::kWarning, event, details);
}
inline void LogError(std::string_view event, std::string_view details = {}) {
  Log(LogLevel::kError, event, details);
}

}  // namespace xmppfed::runtime

#endif  // XMPPFED_AGENT_RUNTIME_LOG_H_
