#include "agent/store/sqlite_invitations.h"

namespace xmppfed::store::sqlite {

absl::StatusOr<bool> InsertInvitation(Connection* conn,
                                      std::string_view local_jid,
                                      std::string_view remote_jid,
                                      int64_t now_us) {
  absl::StatusOr<bool> exists = InvitationExists(conn, local_jid, remote_jid);
  if (!exists.ok()) return exists.status();
  if (*exists) return false;
  absl::StatusOr<Statement> stmt = conn->Prepare(
      "INSERT INTO invitations (local_jid, remote_jid, created_at_us) "
      "VALUES (?1, ?2, ?3)");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, local_jid).Bind(2, remote_jid).Bind(3, now_us);
  if (absl::Status inserted = stmt->Run(); !inserted.ok()) return inserted;
  return true;
}

absl::StatusOr<bool> InvitationExists(Connection* conn,
                                      std::string_view local_jid,
                                      std::string_view remote_jid) {
  absl::StatusOr<Statement> stmt = conn->Prepare(
      "SELECT 1 FROM invitations WHERE local_jid = ?1 AND remote_jid = ?2");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, local_jid).Bind(2, remote_jid);
  return stmt->Step();
}

absl::Status ReadInvitations(
    Connection* conn, const std::function<bool(const Invitation&)>& visit) {
  absl::StatusOr<Statement> stmt =
      conn->Prepare("SELECT local_jid, remote_jid FROM invitations");
  if (!stmt.ok()) return stmt.status();
  Invitation invitation;
  while (true) {
    absl::StatusOr<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
    invitation.local_jid.assign(stmt->Text(0));
    invitation.remote_jid.assign(stmt->Text(1));
    if (!visit(invitation)) return absl::OkStatus();
  }
}

}  // namespace xmppfed::store::sqlite
