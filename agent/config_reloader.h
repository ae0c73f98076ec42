// The agent's reload (SIGHUP, `xmppfed-agent --reload`, the unit's
// ExecReload=): reopens the log, reads the command line and the
// configuration file again, applies what can change while running (the log
// settings; the TLS certificates, keys and trust anchors, which new streams
// use while live ones keep theirs) and says in the
// log which changed keys need a restart. A file that no longer parses
// changes nothing: the error is logged and the agent runs on as it was.
#ifndef XMPPFED_AGENT_CONFIG_RELOADER_H_
#define XMPPFED_AGENT_CONFIG_RELOADER_H_

#include <string>
#include <vector>

#include "agent/config/agent_options.h"
#include "agent/edge/core/edge.h"

namespace xmppfed {

class ConfigReloader {
 public:
  // `argv` is the agent's own (argc entries), read again at each reload;
  // `edge` may be null (listeners off) and must outlive the reloader.
  ConfigReloader(const config::AgentOptions& running, int argc,
                 const char* const* argv, edge::Edge* edge);

  void Reload();

 private:
  // `key` is now as `reread` has it: applied.
  void Adopt(const std::string& key, const config::AgentOptions& reread);

  config::AgentOptions running_;
  std::vector<const char*> argv_;
  edge::Edge* edge_;
};

}  // namespace xmppfed

#endif  // XMPPFED_AGENT_CONFIG_RELOADER_H_
