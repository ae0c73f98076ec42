// get-partner answered from the agent's policy in memory (agent/snapshot)
// when the store cannot answer (an etcd store with no member reachable):
// the same partners, in the same order, filtered by the same glob, as the
// store would list them at the snapshot's revision.
#ifndef XMPPFED_AGENT_SERVICE_SNAPSHOT_READS_H_
#define XMPPFED_AGENT_SERVICE_SNAPSHOT_READS_H_

#include <functional>
#include <string>

#include "absl/status/status.h"
#include "agent/snapshot/policy_snapshot.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::service {

// The partner whose identity is `identity` (normalised), or NOT_FOUND as
// PartnerManager::Get says it.
absl::Status VisitSnapshotPartner(
    const snapshot::PolicySnapshot& snapshot, const std::string& identity,
    const std::function<bool(const v1::Partner&)>& visit);

// Partners whose identity matches `glob` (normalised; empty: all), in
// identity order, until `visit` returns false.
void VisitSnapshotPartners(
    const snapshot::PolicySnapshot& snapshot, const std::string& glob,
    const std::function<bool(const v1::Partner&)>& visit);

}  // namespace xmppfed::service

#endif  // XMPPFED_AGENT_SERVICE_SNAPSHOT_READS_H_
