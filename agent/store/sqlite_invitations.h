// The invitations table of the SQLite store (see Store::RecordInvitations).
// The writer runs inside a write transaction the caller opened.
#ifndef XMPPFED_AGENT_STORE_SQLITE_INVITATIONS_H_
#define XMPPFED_AGENT_STORE_SQLITE_INVITATIONS_H_

#include <cstdint>
#include <functional>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "agent/store/sqlite_connection.h"
#include "agent/store/store.h"

namespace xmppfed::store::sqlite {

// Inserts the pair unless it is stored; true when it inserted it.
absl::StatusOr<bool> InsertInvitation(Connection* conn,
                                      std::string_view local_jid,
                                      std::string_view remote_jid,
                                      int64_t now_us);

absl::StatusOr<bool> InvitationExists(Connection* conn,
                                      std::string_view local_jid,
                                      std::string_view remote_jid);

// Every row, until `visit` returns false.
absl::Status ReadInvitations(
    Connection* conn, const std::function<bool(const Invitation&)>& visit);

}  // namespace xmppfed::store::sqlite

#endif  // XMPPFED_AGENT_STORE_SQLITE_INVITATIONS_H_
