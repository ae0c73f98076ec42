// The gateway settings use cases (SPEC §3). The dialback passphrase is
// write-only: it goes into the store and is never returned or logged.
#ifndef XMPPFED_AGENT_SERVICE_GATEWAY_MANAGER_H_
#define XMPPFED_AGENT_SERVICE_GATEWAY_MANAGER_H_

#include <mutex>

#include "absl/status/statusor.h"
#include "agent/store/store.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::service {

class GatewayManager {
 public:
  explicit GatewayManager(store::Store* store) : store_(store) {}

  // The stored settings, or the spec's defaults when never set.
  absl::StatusOr<v1::GatewayConfig> Get();

  absl::StatusOr<v1::GatewayConfigChange> Set(
      const v1::SetGatewayConfigRequest& request);

 private:
  store::Store* store_;
  std::mutex write_mutex_;
};

}  // namespace xmppfed::service

#endif  // XMPPFED_AGENT_SERVICE_GATEWAY_MANAGER_H_
