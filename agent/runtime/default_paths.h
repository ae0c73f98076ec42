// Default locations of the agent's API socket and store (SPEC §6).
// Under systemd, RUNTIME_DIRECTORY / STATE_DIRECTORY (set by the unit's
// RuntimeDirectory= / StateDirectory=) win, so the service runs as its own
// unprivileged user with the same paths root would get.
#ifndef XMPPFED_AGENT_RUNTIME_DEFAULT_PATHS_H_
#define XMPPFED_AGENT_RUNTIME_DEFAULT_PATHS_H_

#include <string>

namespace xmppfed::runtime {

// $RUNTIME_DIRECTORY/agent.sock, else /run/xmppfed/agent.sock for root,
// else $XDG_RUNTIME_DIR/xmppfed/agent.sock, else /run/xmppfed/agent.sock.
std::string DefaultSocketPath();

// sqlite:$STATE_DIRECTORY/xmppfed.db, else sqlite:/var/lib/xmppfed/xmppfed.db
// for root, else sqlite:$XDG_STATE_HOME/xmppfed/xmppfed.db (XDG_STATE_HOME
// defaulting to $HOME/.local/state).
std::string DefaultStoreUri();

}  // namespace xmppfed::runtime

#endif  // XMPPFED_AGENT_RUNTIME_DEFAULT_PATHS_H_
