// The gateway settings use cases (SPEC §3). The dialback passphrase is
// write-only: it goes into the store and is never returned or logged (its
// audit entry says "(changed)"). A change is audited with its field-level
// changes in its own transaction, a refused attempt on its own.
#ifndef XMPPFED_AGENT_SERVICE_GATEWAY_MANAGER_H_
#define XMPPFED_AGENT_SERVICE_GATEWAY_MANAGER_H_

#include <mutex>

#include "absl/status/statusor.h"
#include "agent/audit/audit_trail.h"
#include "agent/store/store.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::service {

class GatewayManager {
 public:
  // `store` and `trail` must outlive the manager.
  GatewayManager(store::Store* store, audit::AuditTrail* trail)
      : store_(store), trail_(trail) {}

  // The stored settings, or the spec's defaults when never set.
  absl::StatusOr<v1::GatewayConfig> Get();

  absl::StatusOr<v1::GatewayConfigChange> Set(
      const v1::SetGatewayConfigRequest& request, const audit::Actor& actor);

 private:
  absl::StatusOr<v1::GatewayConfigChange> SetAudited(
      const v1::SetGatewayConfigRequest& request, const audit::Actor& actor);

  store::Store* store_;
  audit::AuditTrail* trail_;
  std::mutex write_mutex_;
};

}  // namespace xmppfed::service

#endif  // XMPPFED_AGENT_SERVICE_GATEWAY_MANAGER_H_
