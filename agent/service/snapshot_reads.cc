#include "agent/service/snapshot_reads.h"

#include <fnmatch.h>

#include <algorithm>
#include <optional>
#include <vector>

#include "agent/service/partner_checks.h"

namespace xmppfed::service {

absl::Status VisitSnapshotPartner(
    const snapshot::PolicySnapshot& snapshot, const std::string& identity,
    const std::function<bool(const v1::Partner&)>& visit) {
  snapshot::PartnerRef partner = snapshot.partners().FindIdentity(identity);
  if (partner == nullptr) {
    return PartnerNotFound(
        identity,
        [&](std::string_view domain)
            -> absl::StatusOr<std::optional<std::string>> {
          const snapshot::PartnerPolicy* owner =
              snapshot.partners().Find(domain);
          if (owner == nullptr) return std::optional<std::string>();
          return std::optional<std::string>(std::string(owner->identity()));
        });
  }
  visit(partner->ToProto());
  return absl::OkStatus();
}

void VisitSnapshotPartners(
    const snapshot::PolicySnapshot& snapshot, const std::string& glob,
    const std::function<bool(const v1::Partner&)>& visit) {
  std::vector<snapshot::PartnerRef> matching;
  snapshot.partners().ForEachPartner([&](const snapshot::PartnerRef& partner) {
    // fnmatch without escapes reads * ? [a-z] [^a-z] as SQLite's GLOB does
    // (case-sensitive, like the store's listing).
    std::string identity(partner->identity());
    if (glob.empty() ||
        ::fnmatch(glob.c_str(), identity.c_str(), FNM_NOESCAPE) == 0) {
      matching.push_back(partner);
    }
    return true;
  });
  std::sort(matching.begin(), matching.end(),
            [](const snapshot::PartnerRef& a, const snapshot::PartnerRef& b) {
              return a->identity() < b->identity();
            });
  for (const snapshot::PartnerRef& partner : matching) {
    if (!visit(partner->ToProto())) return;
  }
}

}  // namespace xmppfed::service
