// Field-level changes {field, old, new} for audit entries, by comparing a
// partner or the gateway settings before and after. Fields are named by
// their JSON keys (lowerCamelCase) and valued in the product's spellings;
// read-only bookkeeping (identity, revision, timestamps) is left out. Found
// by reflection, so a field added to the proto is audited without more code.
#ifndef XMPPFED_AGENT_AUDIT_FIELD_CHANGES_H_
#define XMPPFED_AGENT_AUDIT_FIELD_CHANGES_H_

#include <string>
#include <vector>

#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::audit {

// The value every secret is recorded as, before and after.
inline constexpr char kSecretValue[] = "(changed)";

// The fields that differ. `before` null: a creation (every field, no old
// value); `after` null: a removal (every field, no new value).
std::vector<v1::AuditChange> PartnerChanges(const v1::Partner* before,
                                            const v1::Partner* after);

// The settings that differ, plus dialbackPassphrase as "(changed)" when
// `passphrase_changed`.
std::vector<v1::AuditChange> GatewayChanges(const v1::GatewayConfig& before,
                                            const v1::GatewayConfig& after,
                                            bool passphrase_changed);

// Appends `changes` to the entry, each field name prefixed with `prefix`
// (e.g. "contoso.com." when one entry records several partners).
void AddChanges(const std::vector<v1::AuditChange>& changes,
                v1::AuditEntry* entry, const std::string& prefix = "");

}  // namespace xmppfed::audit

#endif  // XMPPFED_AGENT_AUDIT_FIELD_CHANGES_H_
