// The HTTP endpoint of --metrics-listen: prometheus-cpp's Exposer (civetweb)
// serves GET /metrics in the Prometheus text format, and this adds the two
// probes an orchestrator asks:
//   /healthz  200 "ok" while the process runs and `alive` says its loop
//             answers; 503 otherwise (a liveness probe: restart me).
//   /readyz   200 "ready" when `ready` says the store answers and the
//             listeners are bound; 503 with the reason otherwise (a
//             readiness probe: send me no traffic yet).
// Why not the Exposer's own collectables for the probes: a URI registered
// on it always answers 200 with metrics text, so it cannot say 503. The
// probes are answered instead from civetweb's begin_request callback, which
// the Exposer passes through; every other URI goes on to the Exposer.
#ifndef XMPPFED_AGENT_METRICS_METRICS_SERVER_H_
#define XMPPFED_AGENT_METRICS_METRICS_SERVER_H_

#include <prometheus/collectable.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace prometheus {
class Exposer;
}

namespace xmppfed::metrics {

struct HealthProbes {
  // True while the process's work loop answers (called per /healthz).
  std::function<bool()> alive;
  // OK when ready; otherwise why not (called per /readyz).
  std::function<absl::Status()> ready;
};

class MetricsServer {
 public:
  // Listens on `host`:`port` (port 0 picks a free one) and serves
  // `collectable` on /metrics. UNAVAILABLE naming the address when it
  // cannot be bound.
  static absl::StatusOr<std::unique_ptr<MetricsServer>> Start(
      const std::string& host, uint16_t port,
      std::shared_ptr<prometheus::Collectable> collectable,
      HealthProbes probes);
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  // The address bound ("127.0.0.1:9464"; IPv6 in brackets).
  std::string address() const;
  uint16_t port() const { return port_; }

 private:
  MetricsServer(std::string host, HealthProbes probes);

  std::string host_;
  uint16_t port_ = 0;
  std::shared_ptr<HealthProbes> probes_;
  std::shared_ptr<prometheus::Collectable> collectable_;
  std::unique_ptr<prometheus::Exposer> exposer_;
};

}  // namespace xmppfed::metrics

#endif  // XMPPFED_AGENT_METRICS_METRICS_SERVER_H_
