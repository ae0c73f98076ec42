#include "agent/runtime/log_line.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "xmppfed/v1/utf8.h"

namespace xmppfed::runtime {
namespace {

constexpr const char* kTimeFormat = "%Y-%m-%dT%H:%M:%E3SZ";

bool IsKeyCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
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

// A JSON string: quotes, backslashes and control characters escaped, bytes
// that are not UTF-8 replaced by U+FFFD, so the line is valid JSON whatever
// a peer sent.
void AppendJsonText(std::string* out, std::string_view text) {
  out->push_back('"');
  for (std::size_t i = 0; i < text.size();) {
    char32_t code_point;
    std::size_t length = v1::Utf8SequenceAt(text, i, &code_point);
    if (length == 0) {
      out->append("\\ufffd");
      ++i;
      continue;
    }
    if (code_point == '"' || code_point == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(code_point));
    } else if (code_point < 0x20 || code_point == 0x7f) {
      absl::StrAppendFormat(out, "\\u%04x", static_cast<int>(code_point));
    } else {
      out->append(text.substr(i, length));
    }
    i += length;
  }
  out->push_back('"');
}

void AppendJsonMember(std::string* out, std::string_view key,
                      std::string_view value) {
  out->push_back(',');
  AppendJsonText(out, key);
  out->push_back(':');
  AppendJsonText(out, value);
}

bool IsReservedKey(std::string_view key) {
  return key == "time" || key == "level" || key == "event" || key == "details";
}

}  // namespace

int SyslogPriority(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return 7;
    case LogLevel::kInfo:
      return 6;
    case LogLevel::kNotice:
      return 5;
    case LogLevel::kWarning:
      return 4;
    case LogLevel::kError:
      return 3;
  }
  return 6;
}

std::optional<std::vector<std::pair<std::string, std::string>>> ParseLogDetails(
    std::string_view details) {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::size_t i = 0;
  while (i < details.size()) {
    std::size_t key_end = i;
    while (key_end < details.size() && IsKeyCharacter(details[key_end])) {
      ++key_end;
    }
    if (key_end == i || key_end >= details.size() || details[key_end] != '=') {
      return std::nullopt;
    }
    std::string key(details.substr(i, key_end - i));
    std::size_t value_start = key_end + 1;
    std::size_t value_end;
    std::string value;
    if (value_start < details.size() && details[value_start] == '"') {
      std::size_t close = details.find('"', value_start + 1);
      if (close == std::string_view::npos) return std::nullopt;
      value =
          std::string(details.substr(value_start + 1, close - value_start - 1));
      value_end = close + 1;
    } else {
      value_end = details.find(' ', value_start);
      if (value_end == std::string_view::npos) value_end = details.size();
      value = std::string(details.substr(value_start, value_end - value_start));
    }
    pairs.emplace_back(std::move(key), std::move(value));
    if (value_end == details.size()) break;
    if (details[value_end] != ' ' || value_end + 1 == details.size()) {
      return std::nullopt;
    }
    i = value_end + 1;
  }
  return pairs;
}

std::string FormatLogLine(const LogLineStyle& style, absl::Time time,
                          LogLevel level, std::string_view event,
                          std::string_view details) {
  std::string line;
  if (style.journal) absl::StrAppend(&line, "<", SyslogPriority(level), ">");
  std::string when = absl::FormatTime(kTimeFormat, time, absl::UTCTimeZone());
  std::string_view level_name = LogLevelName(level);

  if (style.format == LogFormat::kJson) {
    line.append("{\"time\":");
    AppendJsonText(&line, when);
    AppendJsonMember(&line, "level", level_name);
    AppendJsonMember(&line, "event", event);
    auto pairs = ParseLogDetails(details);
    bool as_members = pairs.has_value();
    for (const auto& [key, value] :
         pairs.value_or(std::vector<std::pair<std::string, std::string>>())) {
      if (IsReservedKey(key)) as_members = false;
    }
    if (as_members) {
      for (const auto& [key, value] : *pairs) {
        AppendJsonMember(&line, key, value);
      }
    } else if (!details.empty()) {
      AppendJsonMember(&line, "details", details);
    }
    line.append("}\n");
    return line;
  }

  if (!style.journal) absl::StrAppend(&line, when, " ");
  line.append(level_name);
  line.push_back(' ');
  AppendOneLine(&line, event);
  if (!details.empty()) {
    line.push_back(' ');
    AppendOneLine(&line, details);
  }
  line.push_back('\n');
  return line;
}

}  // namespace xmppfed::runtime
