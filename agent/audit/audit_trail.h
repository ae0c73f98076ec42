// Audit entries (SPEC §7) for the calls of the management API: who (the
// caller as the agent identified it), on which node, which verb, the
// identities touched, and the result. The services add the field-level
// changes and hand the entry to the store with the change itself; refused
// and denied attempts are appended here on their own.
#ifndef XMPPFED_AGENT_AUDIT_AUDIT_TRAIL_H_
#define XMPPFED_AGENT_AUDIT_AUDIT_TRAIL_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "agent/access/caller.h"
#include "agent/store/store.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::audit {

// An entry lists at most this many identities; the change
// "identitiesNotListed" counts the others. A bulk call (an import of
// 100,000 partners) keeps one entry of a bounded size.
inline constexpr size_t kMaxIdentities = 1000;

// Who makes a call, and through which verb.
struct Actor {
  access::Caller caller;
  std::string verb;  // e.g. "set-partner"
};

v1::AuditCaller ToAuditCaller(const access::Caller& caller);

// "caller=alice uid=1001 pid=4242 role=Administrator", for log lines.
std::string CallerForLog(const v1::AuditCaller& caller);

// Replaces the entry's identities with `identities`, capped at
// kMaxIdentities (an "identitiesNotListed" change counts the rest).
void SetIdentities(const std::vector<std::string>& identities,
                   v1::AuditEntry* entry);
// The same when only the first of `total` identities were kept.
void SetIdentities(const std::vector<std::string>& identities, uint64_t total,
                   v1::AuditEntry* entry);

class AuditTrail {
 public:
  // `store` must outlive the trail; `node` names this agent in every entry.
  AuditTrail(store::Store* store, std::string node)
      : store_(store), node_(std::move(node)) {}

  // A new entry for `actor`'s call: now, this node, result ok.
  v1::AuditEntry Begin(const Actor& actor,
                       const std::vector<std::string>& identities = {}) const;

  // Appends a refused attempt (nothing was changed) with `error`'s message.
  // A failure to store it is logged; the refusal itself is what the caller
  // reports.
  void RecordRefused(const Actor& actor,
                     const std::vector<std::string>& identities,
                     const absl::Status& error);
  // The same for an entry built already (an import's, with its counts).
  void RecordRefused(v1::AuditEntry entry, const absl::Status& error);

  // Appends a denied attempt: the caller's role does not allow `verb`.
  void RecordDenied(const access::Caller& caller, std::string_view verb,
                    std::string_view error);

  const std::string& node() const { return node_; }

 private:
  void Append(const v1::AuditEntry& entry);

  store::Store* store_;
  std::string node_;
};

}  // namespace xmppfed::audit

#endif  // XMPPFED_AGENT_AUDIT_AUDIT_TRAIL_H_
