// The edge's view of the policy in the store: which partner a domain
// belongs to, the gateway settings and the dialback secret.
//
// Partners are looked up in the store when a stream needs them (an indexed
// read of a few microseconds, made only when a stream opens or a session
// is re-checked), rather than copied into a snapshot: an agent with 100,000
// partners would otherwise rebuild a 100,000-entry map on every change,
// and a bulk import makes thousands of changes. The gateway settings and
// the secret are small and cached; Refresh() re-reads them after a commit.
// Used on the edge's loop thread only.
#ifndef XMPPFED_AGENT_EDGE_POLICY_PARTNER_DIRECTORY_H_
#define XMPPFED_AGENT_EDGE_POLICY_PARTNER_DIRECTORY_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "agent/policy/negotiation.h"
#include "agent/store/store.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::edge {

class PartnerDirectory {
 public:
  // `store` must outlive the directory; `local_domains` are normalised.
  PartnerDirectory(store::Store* store, std::vector<std::string> local_domains);

  // Loads the gateway settings and the secret (again).
  absl::Status Refresh();

  // The partner owning `domain` (identity or additional domain), nullopt
  // when none does or the store cannot say (logged). Without its
  // additional_domains: ask this again for another domain.
  std::optional<v1::Partner> PartnerFor(std::string_view domain) const;
  bool IsLocal(std::string_view domain) const;
  const std::vector<std::string>& local_domains() const {
    return local_domains_;
  }

  const v1::GatewayConfig& gateway() const { return gateway_; }
  const std::string& dialback_secret() const { return dialback_secret_; }
  // Invitations (see store::Store::RecordInvitations), by bare JIDs. A store
  // failure is logged; IsInvited then says false (the safe answer).
  bool IsInvited(const std::string& local_jid, const std::string& remote_jid);
  absl::Status RecordInvitation(const std::string& local_jid,
                                const std::string& remote_jid);
  // The partner's streams limit: its own, else the gateway's.
  uint32_t ConnectionLimitFor(const v1::Partner& partner) const;

 private:
  store::Store* store_;
  std::vector<std::string> local_domains_;
  v1::GatewayConfig gateway_;
  std::string dialback_secret_;
};

// What the partner's policy allows (the negotiation table of SPEC §2).
policy::AllowedAuth AllowedFor(const v1::Partner& partner);

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_POLICY_PARTNER_DIRECTORY_H_
