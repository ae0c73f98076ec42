// get-partner's read-only `status` object (SPEC §7): each partner of a read
// answer gets what this agent's edge saw of it (Partner.status), asked of
// the edge once per answer message. Never stored: only the answers of
// GetPartners and GetPartnerTargets carry it.
#ifndef XMPPFED_AGENT_RPC_PARTNER_STATUS_H_
#define XMPPFED_AGENT_RPC_PARTNER_STATUS_H_

#include <vector>

#include "agent/rpc/session_api.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::rpc {

// Sets the status of every partner in `partners` (any of them may be null).
// `source` null (the edge is off): a status with nothing seen.
void AttachFederationStatus(SessionSource* source,
                            const std::vector<v1::Partner*>& partners);

}  // namespace xmppfed::rpc

#endif  // XMPPFED_AGENT_RPC_PARTNER_STATUS_H_
