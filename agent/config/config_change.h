// What re-reading the configuration changes (SIGHUP, `xmppfed-agent
// --reload`): which keys apply at once and which only at the next start.
#ifndef XMPPFED_AGENT_CONFIG_CONFIG_CHANGE_H_
#define XMPPFED_AGENT_CONFIG_CONFIG_CHANGE_H_

#include <string>
#include <string_view>
#include <vector>

#include "agent/config/agent_options.h"

namespace xmppfed::config {

struct ConfigChange {
  // Changed keys that apply without a restart, in key order.
  std::vector<std::string> live;
  // Changed keys that apply only when the agent starts again.
  std::vector<std::string> need_restart;
};

// log-level, log-format and log-file apply at once; every other key (the
// socket, the store, the domains, the listeners, the certificates, the
// component secret, and any key added later) needs a restart unless the
// reload learns to apply it.
bool AppliesLive(std::string_view key);

// The keys whose values differ between the options the agent runs with and
// those read again (a key set in one and not the other differs too).
ConfigChange CompareConfig(const AgentOptions& running,
                           const AgentOptions& reread);

}  // namespace xmppfed::config

#endif  // XMPPFED_AGENT_CONFIG_CONFIG_CHANGE_H_
