// Audit entries (SPEC §7) as output records. JSON and NDJSON get the spec's
// shape: {"time", "node", "caller": {"uid", "user", "pid", "role"}, "verb",
// "identities": [...], "changes": [{"field", "old", "new"}], "result",
// "error"}, a value that did not exist being null. The table and CSV, which
// have no nesting, get one flat row per entry (see AuditListLayout).
#ifndef XMPPFED_CLI_RPC_AUDIT_RECORDS_H_
#define XMPPFED_CLI_RPC_AUDIT_RECORDS_H_

#include "cli/output/record.h"
#include "cli/output/writer.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::cli {

// The nested form, for JSON and NDJSON.
Record AuditRecord(const v1::AuditEntry& entry);

// The flat form: time, node, user, uid, pid, role, verb, identities,
// changes ("field: old -> new", "-" for no value), result, error.
Record AuditRow(const v1::AuditEntry& entry);

// The flat form's keys for CSV; Time, User, Role, Verb, Result,
// Identities, Changes, Error for the table.
ListLayout AuditListLayout();

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_RPC_AUDIT_RECORDS_H_
