// The text of one log line, without I/O (see log.h for where lines go).
#ifndef XMPPFED_AGENT_RUNTIME_LOG_LINE_H_
#define XMPPFED_AGENT_RUNTIME_LOG_LINE_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "agent/runtime/log.h"

namespace xmppfed::runtime {

struct LogLineStyle {
  LogFormat format = LogFormat::kText;
  // Standard error is the systemd journal: the line starts with "<N>", its
  // syslog priority, and (in text) leaves the time out, as the journal
  // stamps every line itself.
  bool journal = false;
};

// The syslog priority of a level: debug 7, info 6, notice 5, warning 4,
// error 3.
int SyslogPriority(LogLevel level);

// The details' key=value pairs, in order: `key=value` or `key="a value"`
// separated by single spaces, keys of letters, digits, '_', '-' and '.'.
// nullopt when `details` is not in that form.
std::optional<std::vector<std::pair<std::string, std::string>>> ParseLogDetails(
    std::string_view details);

// One line, ending in '\n'.
//  text: "2026-11-25T02:33:33.649Z info agent.ready version=0.1.0"; control
//        characters in event and details become '?' (a newline "\n").
//  json: {"time":"...","level":"info","event":"agent.ready",
//        "version":"0.1.0"}: the details' pairs as string members, or
//        {"details":"..."} when they are not key=value pairs (or a key would
//        hide time, level or event). Bytes that are not UTF-8 become U+FFFD.
std::string FormatLogLine(const LogLineStyle& style, absl::Time time,
                          LogLevel level, std::string_view event,
                          std::string_view details);

}  // namespace xmppfed::runtime

#endif  // XMPPFED_AGENT_RUNTIME_LOG_LINE_H_
