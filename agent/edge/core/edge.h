// The federation edge (SPEC §4): listens for partner servers (S2S) and for
// the internal gateway (XEP-0114 component), opens streams to partners on
// demand, enforces each partner's stored policy, and relays stanzas
// between the two sides. Everything runs on one event-loop thread of its
// own; the methods below are safe to call from any thread (the management
// API's handlers), and post their work to that thread.
#ifndef XMPPFED_AGENT_EDGE_CORE_EDGE_H_
#define XMPPFED_AGENT_EDGE_CORE_EDGE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "agent/edge/core/federation_status.h"
#include "agent/edge/probe/partner_probe.h"
#include "agent/edge/sessions/session.h"
#include "agent/edge/tls/tls_context.h"
#include "agent/metrics/edge_metrics.h"
#include "agent/snapshot/policy_source.h"

namespace xmppfed::edge {

struct ListenOn {
  std::string host;
  uint16_t port = 0;
};

struct EdgeOptions {
  std::vector<std::string> local_domains;
  std::vector<tls::Credential> credentials;
  std::string ca_file;
  // nullopt: that listener is off.
  std::optional<ListenOn> s2s_listen;
  // XEP-0368 direct TLS S2S listener (--s2s-tls-listen).
  std::optional<ListenOn> s2s_tls_listen;
  std::optional<ListenOn> component_listen;
  std::string component_secret;
  // DNS servers ("ip:port") instead of the system's; for tests.
  std::vector<std::string> dns_servers;
  // Where the edge reports streams, stanzas, bounces and failures; null:
  // nowhere. Must outlive the edge.
  metrics::EdgeMetrics* metrics = nullptr;
};

class Edge {
 public:
  // Opens the listeners and starts the loop thread. The edge decides from
  // `policy`'s snapshots (never from the store); `policy` must outlive it.
  static absl::StatusOr<std::unique_ptr<Edge>> Start(
      EdgeOptions options, snapshot::PolicySource* policy);
  virtual ~Edge() = default;

  // The addresses actually bound ("127.0.0.1:5347"), "off" when disabled.
  virtual std::string s2s_address() const = 0;
  virtual std::string s2s_tls_address() const = 0;
  virtual std::string component_address() const = 0;

  // Live streams, optionally of one partner (its identity).
  virtual std::vector<SessionInfo> ListSessions(const std::string& partner) = 0;
  // Closes the streams with these ids, or of this partner, with a stream
  // error; returns what it closed.
  virtual std::vector<SessionInfo> CloseSessions(
      const std::vector<uint64_t>& ids, const std::string& partner) = 0;
  // test-partner: checks federation with `domain` (a domain of `partner`)
  // on a stream of its own; `on_step` runs on the edge's thread once per
  // step, in order, the last within `timeout` (agent/edge/probe).
  virtual void TestPartner(const snapshot::PartnerRef& partner,
                           const std::string& domain, absl::Duration timeout,
                           std::function<void(const ProbeStep&)> on_step) = 0;
  // Federation status of every partner of the current policy (a copy, taken
  // on the loop thread), in no particular order; live streams counted now.
  virtual std::vector<PartnerFederationStatus> FederationStatus() = 0;
  // The same for these partners (identities) only, in their order, in one
  // trip to the loop thread (get-partner, a page of partners at a time).
  virtual std::vector<PartnerFederationStatus> FederationStatusOf(
      const std::vector<std::string>& partners) = 0;
  // A new policy snapshot was published: the edge takes it and re-checks
  // every stream against it, before this returns (so a change acknowledged
  // to its caller applies to the next stream at once).
  virtual void PolicyChanged() = 0;
  // Bytes of the S2S streams (live and closed) so far, read on the loop
  // thread; nullopt when the loop did not answer within `timeout` (which
  // also tells the liveness probe, /healthz, that it is stuck).
  virtual std::optional<metrics::StreamTraffic> Traffic(
      absl::Duration timeout) = 0;
  // Closes every stream with <system-shutdown/> and stops the thread.
  virtual void Shutdown() = 0;
  // Reload (SIGHUP): reads `credentials` and `ca_file` again and makes
  // them the ones new streams use (inbound STARTTLS and outbound), while
  // live streams carry on with theirs. The files are read on the caller's
  // thread; the loop only swaps the contexts. When a file cannot be read
  // or a key does not match, INVALID_ARGUMENT naming the option and the
  // file, and the edge keeps the certificates it had.
  virtual absl::Status ReloadCredentials(
      const std::vector<tls::Credential>& credentials,
      const std::string& ca_file) = 0;
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_CORE_EDGE_H_
