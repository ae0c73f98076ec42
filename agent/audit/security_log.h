// Security-relevant changes are also logged at warning level with their
// caller: message bodies logged, a partner's TLS weakened to NotSupported,
// the dialback passphrase changed, a partner removed.
#ifndef XMPPFED_AGENT_AUDIT_SECURITY_LOG_H_
#define XMPPFED_AGENT_AUDIT_SECURITY_LOG_H_

#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::audit {

// Logs one "security.*" warning per security-relevant change that `entry`
// (an ok entry whose change was committed) records.
void LogSecurityRelevantChanges(const v1::AuditEntry& entry);

}  // namespace xmppfed::audit

#endif  // XMPPFED_AGENT_AUDIT_SECURITY_LOG_H_
