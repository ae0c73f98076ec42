// sd_notify(3) without libsystemd: one datagram to $NOTIFY_SOCKET.
// A no-op when the agent does not run under systemd with Type=notify.
#ifndef XMPPFED_AGENT_RUNTIME_SYSTEMD_NOTIFY_H_
#define XMPPFED_AGENT_RUNTIME_SYSTEMD_NOTIFY_H_

#include <string_view>

namespace xmppfed::runtime {

// `state` is e.g. "READY=1" or "STOPPING=1". Returns false when the
// notification could not be delivered (never fatal).
bool NotifySystemd(std::string_view state);

}  // namespace xmppfed::runtime

#endif  // XMPPFED_AGENT_RUNTIME_SYSTEMD_NOTIFY_H_
