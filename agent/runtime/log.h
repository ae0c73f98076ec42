// The agent's log: one line per event on stderr, "TIME LEVEL event key=value".
// Contract: callers never pass secrets (dialback passphrase, component secret,
// keys) or message bodies; values are escaped so that one event stays on one
// line whatever a peer sends.
#ifndef XMPPFED_AGENT_RUNTIME_LOG_H_
#define XMPPFED_AGENT_RUNTIME_LOG_H_

#include <string_view>

namespace xmppfed::runtime {

enum class LogLevel { kInfo, kWarning, kError };

void Log(LogLevel level, std::string_view event, std::string_view details = {});

inline void LogInfo(std::string_view event, std::string_view details = {}) {
  Log(LogLevel::kInfo, event, details);
}
inline void LogWarning(std::string_view event, std::string_view details = {}) {
  Log(LogLevel::kWarning, event, details);
}
inline void LogError(std::string_view event, std::string_view details = {}) {
  Log(LogLevel::kError, event, details);
}

}  // namespace xmppfed::runtime

#endif  // XMPPFED_AGENT_RUNTIME_LOG_H_
