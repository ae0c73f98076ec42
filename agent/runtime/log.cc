#include "agent/runtime/log.h"

#include <unistd.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace xmppfed::runtime {
namespace {

std::string_view LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

void AppendOneLine(std::string* line, std::string_view text) {
  for (char c : text) {
    if (c == '\n') {
      line->append("\\n");
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      line->push_back('?');
    } else {
      line->push_back(c);
    }
  }
}

}  // namespace

void Log(LogLevel level, std::string_view event, std::string_view details) {
  std::string line =
      absl::StrCat(absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::Now(),
                                    absl::UTCTimeZone()),
                   " ", std::string(LevelName(level)), " ");
  AppendOneLine(&line, event);
  if (!details.empty()) {
    line.push_back(' ');
    AppendOneLine(&line, details);
  }
  line.push_back('\n');
  // One write per line keeps lines whole when several threads log at once.
  ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

}  // namespace xmppfed::runtime
