#include "agent/audit/audit_trail.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "agent/runtime/log.h"
#include "google/protobuf/util/time_util.h"
#include "xmppfed/v1/spelling.h"

namespace xmppfed::audit {
v1::AuditCaller ToAuditCaller(const access::Caller& caller) {
  v1::AuditCaller out;
  out.set_uid(caller.uid);
  out.set_user(caller.user);
  out.set_pid(static_cast<uint32_t>(caller.pid));
  out.set_role(caller.role);
  return out;
}

std::string CallerForLog(const v1::AuditCaller& caller) {
  return absl::StrCat("caller=", caller.user(), " uid=", caller.uid(),
                      " pid=", caller.pid(),
                      " role=", std::string(v1::RoleName(caller.role())));
}

void SetIdentities(const std::vector<std::string>& identities,
                   v1::AuditEntry* entry) {
  SetIdentities(identities, identities.size(), entry);
}

void SetIdentities(const std::vector<std::string>& identities, uint64_t total,
                   v1::AuditEntry* entry) {
  entry->clear_identities();
  size_t listed = std::min(identities.size(), kMaxIdentities);
  for (size_t i = 0; i < listed; ++i) entry->add_identities(identities[i]);
  for (auto it = entry->mutable_changes()->begin();
       it != entry->mutable_changes()->end(); ++it) {
    if (it->field() == "identitiesNotListed") {
      entry->mutable_changes()->erase(it);
      break;
    }
  }
  if (total > listed) {
    v1::AuditChange* rest = entry->add_changes();
    rest->set_field("identitiesNotListed");
    rest->set_new_value(absl::StrCat(total - listed));
  }
}

v1::AuditEntry AuditTrail::Begin(
    const Actor& actor, const std::vector<std::string>& identities) const {
  v1::AuditEntry entry;
  *entry.mutable_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
          absl::ToUnixMicros(absl::Now()));
  entry.set_node(node_);
  *entry.mutable_caller() = ToAuditCaller(actor.caller);
  entry.set_verb(actor.verb);
  SetIdentities(identities, &entry);
  entry.set_result(v1::AUDIT_RESULT_OK);
  return entry;
}

void AuditTrail::RecordRefused(const Actor& actor,
                               const std::vector<std::string>& identities,
                               const absl::Status& error) {
  RecordRefused(Begin(actor, identities), error);
}

void AuditTrail::RecordRefused(v1::AuditEntry entry,
                               const absl::Status& error) {
  entry.set_result(v1::AUDIT_RESULT_REFUSED);
  entry.set_error(std::string(error.message()));
  Append(entry);
}

void AuditTrail::RecordDenied(const access::Caller& caller,
                              std::string_view verb, std::string_view error) {
  v1::AuditEntry entry = Begin(Actor{caller, std::string(verb)});
  entry.set_result(v1::AUDIT_RESULT_DENIED);
  entry.set_error(std::string(error));
  Append(entry);
}

void AuditTrail::Append(const v1::AuditEntry& entry) {
  if (absl::Status appended = store_->AppendAuditEntry(entry); !appended.ok()) {
    runtime::LogError(
        "audit.append.failed",
        absl::StrCat("verb=", entry.verb(), " ", CallerForLog(entry.caller()),
                     " error=\"", appended.message(), "\""));
  }
}

}  // namespace xmppfed::audit
