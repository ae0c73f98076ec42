// The invitations table of the SQLite store (see Store::RecordInvitation).
// The writer runs inside a write transaction the caller opened.
#ifndef XMPPFED_AGENT_STORE_SQLITE_INVITATIONS_H_
#define XMPPFED_AGENT_STORE_SQLITE_INVITATIONS_H_

#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "agent/store/sqlite_connection.h"

namespace xmppfed::store::sqlite {

// Inserts the pair unless it is stored; true when it inserted it.
absl::StatusOr<bool> InsertInvitation(Connection* conn,
                                      std::string_view local_jid,
                                      std::string_view remote_jid,
                                      int64_t now_us);

absl::StatusOr<bool> InvitationExists(Connection* conn,
                                      std::string_view local_jid,
                                      std::string_view remote_jid);

}  // namespace xmppfed::store::sqlite

#endif  // XMPPFED_AGENT_STORE_SQLITE_INVITATIONS_H_
