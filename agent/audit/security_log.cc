#include "agent/audit/security_log.h"

#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "agent/audit/audit_trail.h"
#include "agent/runtime/log.h"

namespace xmppfed::audit {
namespace {

// A removal's warning names this many partners, then counts the others.
constexpr int kIdentitiesLogged = 20;

// The partner a change belongs to: a prefixed field ("contoso.com.field")
// names it, else the entry's only identity.
std::string PartnerOf(const v1::AuditEntry& entry, std::string* field) {
  size_t dot = field->rfind('.');
  if (dot != std::string::npos) {
    std::string identity = field->substr(0, dot);
    *field = field->substr(dot + 1);
    return identity;
  }
  return entry.identities_size() > 0 ? entry.identities(0) : "";
}

void Warn(const v1::AuditEntry& entry, std::string_view event,
          std::string_view details) {
  runtime::LogWarning(
      event, absl::StrCat(std::string(details), " verb=", entry.verb(), " ",
                          CallerForLog(entry.caller())));
}

}  // namespace

void LogSecurityRelevantChanges(const v1::AuditEntry& entry) {
  if (entry.result() != v1::AUDIT_RESULT_OK) return;
  bool removal = entry.verb() == "remove-partner";
  for (const v1::AuditChange& change : entry.changes()) {
    std::string field = change.field();
    std::string identity = PartnerOf(entry, &field);
    if (field == "enableLoggingAllMessageBodies" && change.has_new_value() &&
        change.new_value() == "true") {
      Warn(entry, "security.message_bodies.logged",
           "enableLoggingAllMessageBodies=true");
    } else if (field == "tlsNegotiation" && change.has_new_value() &&
               change.new_value() == "NotSupported") {
      Warn(entry, "security.tls.weakened",
           absl::StrCat("identity=", identity, " tlsNegotiation=NotSupported"));
    } else if (field == "dialbackPassphrase") {
      Warn(entry, "security.dialback_passphrase.changed",
           "dialbackPassphrase=(changed)");
    }
  }
  if (removal && entry.identities_size() > 0) {
    // One line per call, however many partners it removed.
    uint64_t count = static_cast<uint64_t>(entry.identities_size());
    for (const v1::AuditChange& change : entry.changes()) {
      uint64_t more = 0;
      if (change.field() == "identitiesNotListed" &&
          absl::SimpleAtoi(change.new_value(), &more)) {
        count += more;
      }
    }
    std::string listed;
    for (int i = 0; i < entry.identities_size() && i < kIdentitiesLogged; ++i) {
      absl::StrAppend(&listed, i > 0 ? "," : "", entry.identities(i));
    }
    if (count > static_cast<uint64_t>(kIdentitiesLogged)) {
      absl::StrAppend(&listed, ",...");
    }
    Warn(entry, "security.partner.removed",
         absl::StrCat("count=", count, " identities=", listed));
  }
}

}  // namespace xmppfed::audit
