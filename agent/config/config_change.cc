#include "agent/config/config_change.h"

#include <set>

namespace xmppfed::config {

bool AppliesLive(std::string_view key) {
  return key == "log-level" || key == "log-format" || key == "log-file";
}

ConfigChange CompareConfig(const AgentOptions& running,
                           const AgentOptions& reread) {
  std::set<std::string> keys;
  for (const auto& [key, values] : running.given) keys.insert(key);
  for (const auto& [key, values] : reread.given) keys.insert(key);
  ConfigChange change;
  for (const std::string& key : keys) {
    auto before = running.given.find(key);
    auto after = reread.given.find(key);
    bool same = before != running.given.end() && after != reread.given.end() &&
                before->second == after->second;
    if (same) continue;
    (AppliesLive(key) ? change.live : change.need_restart).push_back(key);
  }
  return change;
}

}  // namespace xmppfed::config
