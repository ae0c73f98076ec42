// xmppfed-agent: owns the configuration store, validates every change and
// serves the management API on a Unix socket.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "agent/audit/audit_pruner.h"
#include "agent/audit/audit_trail.h"
#include "agent/cluster/node_reporter.h"
#include "agent/config/agent_options.h"
#include "agent/config/setup_checks.h"
#include "agent/config_reloader.h"
#include "agent/edge/core/edge.h"
#include "agent/edge_partner_tester.h"
#include "agent/edge_session_source.h"
#include "agent/metrics/agent_metrics.h"
#include "agent/metrics/metrics_server.h"
#include "agent/metrics/timed_store.h"
#include "agent/rpc/agent_api.h"
#include "agent/rpc/api_server.h"
#include "agent/rpc/audit_api.h"
#include "agent/rpc/call_gate.h"
#include "agent/rpc/connection_table.h"
#include "agent/rpc/gateway_api.h"
#include "agent/rpc/node_api.h"
#include "agent/rpc/partner_api.h"
#include "agent/rpc/partner_check_api.h"
#include "agent/rpc/session_api.h"
#include "agent/runtime/log.h"
#include "agent/runtime/memory_returner.h"
#include "agent/runtime/signals.h"
#include "agent/runtime/socket_guard.h"
#include "agent/runtime/systemd_notify.h"
#include "agent/service/gateway_manager.h"
#include "agent/service/partner_importer.h"
#include "agent/service/partner_manager.h"
#include "agent/service/partner_targets.h"
#include "agent/snapshot/policy_keeper.h"
#include "agent/store/store.h"
#include "agent/store/store_copy.h"
#include "agent/store/stored_records.h"

namespace xmppfed {
namespace {

// sysexits' EX_UNAVAILABLE: a resource the agent needs (store, socket) is
// not available, e.g. held by another agent.
constexpr int kExitUnavailable = 69;
// A configuration error (as ParseAgentOptions returns for one).
constexpr int kExitUsage = 2;

int Fail(std::string_view what, const absl::Status& status) {
  std::cerr << "xmppfed-agent: " << what << ": " << status.message() << "\n";
  return kExitUnavailable;
}

// The edge's options from the agent's; nullopt listeners are off.
edge::EdgeOptions EdgeOptionsFrom(const config::AgentOptions& options,
                                  metrics::EdgeMetrics* metrics) {
  edge::EdgeOptions edge;
  edge.local_domains = options.local_domains;
  for (const config::TlsCredential& credential : options.tls_credentials) {
    edge.credentials.push_back(
        {credential.certificate_file, credential.key_file});
  }
  edge.ca_file = options.ca_file;
  if (!options.s2s_listen.off) {
    edge.s2s_listen =
        edge::ListenOn{options.s2s_listen.host, options.s2s_listen.port};
  }
  if (!options.s2s_tls_listen.off) {
    edge.s2s_tls_listen = edge::ListenOn{options.s2s_tls_listen.host,
                                         options.s2s_tls_listen.port};
  }
  if (!options.component_listen.off) {
    edge.component_listen = edge::ListenOn{options.component_listen.host,
                                           options.component_listen.port};
  }
  edge.component_secret = options.component_secret;
  edge.metrics = metrics;
  return edge;
}

// xmppfed-agent --copy-store FROM TO: 0 when copied, 69 when a store
// cannot be opened (or is unreachable), 1 when the copy is refused.
int CopyStores(const config::AgentOptions& options) {
  const auto& [from_uri, to_uri] = *options.copy_store;
  absl::StatusOr<std::unique_ptr<store::Store>> from =
      store::OpenStore(from_uri, options.store_options);
  if (!from.ok()) return Fail("cannot open " + from_uri, from.status());
  absl::StatusOr<std::unique_ptr<store::Store>> to =
      store::OpenStore(to_uri, options.store_options);
  if (!to.ok()) return Fail("cannot open " + to_uri, to.status());
  absl::StatusOr<store::CopyReport> copied = store::CopyStore(**from, **to);
  if (!copied.ok()) {
    std::cerr << "xmppfed-agent: cannot copy " << from_uri << " to " << to_uri
              << ": " << copied.status().message() << "\n";
    return copied.status().code() == absl::StatusCode::kUnavailable
               ? kExitUnavailable
               : 1;
  }
  std::cout << "copied " << copied->partners_copied << " partners ("
            << copied->partners_present << " already there), "
            << (copied->gateway_settings ? "the gateway settings, " : "")
            << "the dialback passphrase and " << copied->invitations
            << " invitations from " << from_uri << " to " << to_uri << "\n";
  return 0;
}

v1::Listener MakeListener(std::string name, std::string address) {
  v1::Listener listener;
  listener.set_name(std::move(name));
  listener.set_address(std::move(address));
  return listener;
}

// --reload: SIGHUP to the agent holding the socket's lock.
int SignalReload(const config::AgentOptions& options) {
  absl::StatusOr<pid_t> holder =
      runtime::SocketGuard::FindHolder(options.socket_path);
  if (!holder.ok()) {
    std::cerr << "xmppfed-agent: --reload: " << holder.status().message()
              << "\n";
    return kExitUnavailable;
  }
  if (::kill(*holder, SIGHUP) != 0) {
    std::cerr << "xmppfed-agent: --reload: cannot signal the agent (pid "
              << *holder << "): " << std::strerror(errno)
              << "; run this as the agent's user or as root\n";
    return kExitUnavailable;
  }
  std::cout << "xmppfed-agent: asked the agent serving " << options.socket_path
            << " (pid " << *holder
            << ") to reload; its log says what changed\n";
  return 0;
}

// The partners the setup checks need to know about.
config::StoredPartnerFacts PartnerFacts(store::Store& store) {
  config::StoredPartnerFacts facts;
  absl::Status listed = store.ForEachPartner("", [&](const v1::Partner& p) {
    if (p.tls_negotiation() == v1::NEGOTIATION_REQUIRED) {
      if (facts.tls_required_examples.size() < config::kSetupExamples) {
        facts.tls_required_examples.push_back(p.identity());
      }
      ++facts.tls_required;
    }
    return true;
  });
  if (!listed.ok()) {
    runtime::LogWarning("agent.setup.unchecked",
                        absl::StrCat("reason=\"cannot list the partners: ",
                                     listed.message(), "\""));
  }
  return facts;
}

void WarnAboutSetup(const config::AgentOptions& options, store::Store& store) {
  for (const std::string& warning :
       config::SetupWarnings(options, PartnerFacts(store))) {
    runtime::LogWarning("agent.setup.warning",
                        absl::StrCat("problem=\"", warning, "\""));
  }
}

int Run(const config::AgentOptions& options, int argc,
        const char* const* argv) {
  // Files the agent creates are private unless made otherwise (the socket
  // becomes 0660 once bound).
  ::umask(0077);
  runtime::BlockAgentSignals();
  // A peer that goes away mid-write must not kill the agent (OpenSSL writes
  // to the socket with write(2), which has no MSG_NOSIGNAL).
  ::signal(SIGPIPE, SIG_IGN);

  if (absl::Status logging = runtime::ConfigureLog(options.log);
      !logging.ok()) {
    std::cerr << "xmppfed-agent: " << logging.message() << "\n";
    return kExitUsage;
  }

  absl::StatusOr<std::unique_ptr<runtime::SocketGuard>> socket_guard =
      runtime::SocketGuard::Acquire(options.socket_path);
  if (!socket_guard.ok()) return Fail("cannot start", socket_guard.status());
  absl::StatusOr<std::unique_ptr<store::Store>> store =
      store::OpenStore(options.store_uri, options.store_options);
  if (!store.ok()) return Fail("cannot open the store", store.status());

  // --metrics-listen: the registry exists before anything it times; the
  // HTTP endpoint starts now, so /healthz answers during start-up, and
  // /readyz says 503 until the agent is ready.
  std::shared_ptr<metrics::AgentMetrics> agent_metrics;
  std::unique_ptr<metrics::MetricsServer> metrics_server;
  std::atomic<bool> ready = false;
  std::atomic<edge::Edge*> live_edge = nullptr;
  if (!options.metrics_listen.off) {
    agent_metrics = std::make_shared<metrics::AgentMetrics>();
    *store = std::make_unique<metrics::TimedStore>(*std::move(store),
                                                   agent_metrics.get());
    metrics::HealthProbes probes;
    probes.alive = [&live_edge] {
      edge::Edge* edge = live_edge.load();
      return edge == nullptr || edge->Traffic(absl::Seconds(2)).has_value();
    };
    probes.ready = [&ready, store = store->get()]() -> absl::Status {
      if (!ready.load()) {
        return absl::UnavailableError(
            "starting: the listeners are not bound yet");
      }
      absl::StatusOr<std::optional<v1::GatewayConfig>> read =
          store->GetGatewayConfig();
      if (!read.ok()) {
        return absl::UnavailableError(absl::StrCat(
            "the store does not answer: ", read.status().message()));
      }
      return absl::OkStatus();
    };
    absl::StatusOr<std::unique_ptr<metrics::MetricsServer>> started =
        metrics::MetricsServer::Start(options.metrics_listen.host,
                                      options.metrics_listen.port,
                                      agent_metrics, std::move(probes));
    if (!started.ok()) return Fail("cannot serve metrics", started.status());
    metrics_server = *std::move(started);
  }

  // The policy in memory, kept equal to the store: the edge decides from
  // its snapshots and never reads the store itself.
  absl::StatusOr<std::unique_ptr<snapshot::PolicyKeeper>> keeper =
      snapshot::PolicyKeeper::Start(store->get(), options.local_domains);
  if (!keeper.ok()) return Fail("cannot read the policy", keeper.status());
  snapshot::PolicySource* policy = (*keeper)->source();
  if (agent_metrics) {
    agent_metrics->SnapshotPublished(policy->Current()->revision());
  }

  // The federation edge, unless all its listeners are off. Started before
  // the API so that get-agent reports the addresses actually bound.
  std::unique_ptr<edge::Edge> federation;
  if (!options.s2s_listen.off || !options.s2s_tls_listen.off ||
      !options.component_listen.off) {
    absl::StatusOr<std::unique_ptr<edge::Edge>> started = edge::Edge::Start(
        EdgeOptionsFrom(options, agent_metrics.get()), policy);
    if (!started.ok()) {
      return Fail("cannot start the federation edge", started.status());
    }
    federation = *std::move(started);
    live_edge = federation.get();
  }
  if (federation || agent_metrics) {
    policy->SetPublishListener(
        [edge = federation.get(), metrics = agent_metrics.get(), policy] {
          if (edge != nullptr) edge->PolicyChanged();
          if (metrics != nullptr) {
            metrics->SnapshotPublished(policy->Current()->revision());
          }
        });
  }
  if (agent_metrics) {
    agent_metrics->SetPullSources(
        {.traffic = [edge = federation.get()]()
             -> std::optional<metrics::StreamTraffic> {
          if (edge == nullptr) return metrics::StreamTraffic{};
          return edge->Traffic(absl::Seconds(2));
        }});
  }

  // Memory freed after an attack or a burst goes back to the system.
  runtime::MemoryReturner memory_returner;

  audit::AuditTrail trail(store->get(), cluster::HostName());
  service::PartnerManager partners(store->get(), options.local_domains, &trail,
                                   policy);
  service::PartnerImporter importer(store->get(), options.local_domains,
                                    &trail);
  service::PartnerTargets targets(store->get(), &partners,
                                  options.local_domains, &trail);
  service::GatewayManager gateway(store->get(), &trail);
  audit::AuditPruner pruner(
      store->get(), [&gateway]() -> absl::StatusOr<uint32_t> {
        absl::StatusOr<v1::GatewayConfig> config = gateway.Get();
        if (!config.ok()) return config.status();
        return config->audit_retention_days();
      });
  rpc::AgentFacts facts{
      .version = XMPPFED_VERSION,
      .started_at = absl::Now(),
      .local_domains = options.local_domains,
      .listeners = {
          MakeListener("api", "unix:" + options.socket_path),
          MakeListener("s2s", federation ? federation->s2s_address() : "off"),
          MakeListener("s2s-tls",
                       federation ? federation->s2s_tls_address() : "off"),
          MakeListener("component",
                       federation ? federation->component_address() : "off")}};
  rpc::ConnectionTable connections;
  rpc::CallGate gate(&connections, &options.role_grants, &trail);
  // Without the edge there are no sessions to list or close, and no
  // federation status beyond "nothing seen".
  std::unique_ptr<EdgeSessionSource> sessions;
  std::unique_ptr<EdgePartnerTester> tester;
  if (federation) {
    sessions = std::make_unique<EdgeSessionSource>(federation.get());
    tester = std::make_unique<EdgePartnerTester>(federation.get());
  }
  rpc::PartnerApi partner_api(&partners, &importer, &gate, &targets,
                              sessions.get());
  rpc::GatewayApi gateway_api(&gateway, &gate);
  v1::Node node;
  node.set_id(cluster::NewNodeId());
  node.set_host_name(cluster::HostName());
  node.set_version(XMPPFED_VERSION);
  store::SetTimestamp(absl::ToUnixMicros(facts.started_at),
                      node.mutable_started_at());
  for (const v1::Listener& listener : facts.listeners) {
    *node.add_listeners() = listener;
  }
  rpc::AgentApi agent_api(std::move(facts), store->get(), policy, &gate);
  rpc::NodeApi node_api(store->get(), &gate);
  rpc::SessionApi session_api(sessions.get(), store->get(), &gate);
  rpc::PartnerCheckApi check_api(tester.get(), store->get(), &gate);
  rpc::AuditApi audit_api(store->get(), &gate);
  rpc::ApiServerOptions api_options;
  api_options.socket_path = options.socket_path;
  api_options.grants = options.role_grants;
  api_options.agent_uid = ::geteuid();
  absl::StatusOr<std::unique_ptr<rpc::ApiServer>> server =
      rpc::ApiServer::Start(std::move(api_options),
                            {&partner_api, &gateway_api, &agent_api,
                             &session_api, &check_api, &audit_api, &node_api},
                            &connections);
  if (!server.ok()) return Fail("cannot start", server.status());
  pruner.Start();

  // This agent's record among the nodes sharing the store (get-node).
  auto reporter = std::make_unique<cluster::NodeReporter>(
      store->get(), node, [edge = federation.get()]() -> uint64_t {
        // get-session's list: S2S streams, never components.
        return edge ? edge->ListSessions("").size() : 0;
      });

  ready = true;
  runtime::LogNotice(
      "agent.ready",
      absl::StrCat(
          "version=", XMPPFED_VERSION, " socket=", options.socket_path,
          " store=", (*store)->uri(),
          " domains=", absl::StrJoin(options.local_domains, ","),
          metrics_server ? " metrics=" + metrics_server->address() : ""));
  WarnAboutSetup(options, **store);
  runtime::NotifySystemd("READY=1");

  ConfigReloader reloader(options, argc, argv, federation.get());
  int signal_number;
  while ((signal_number = runtime::WaitForAgentSignal()) == SIGHUP) {
    reloader.Reload();
  }
  runtime::NotifySystemd("STOPPING=1");
  runtime::LogNotice(
      "agent.stopping",
      absl::StrCat("signal=", signal_number == SIGTERM ? "SIGTERM" : "SIGINT"));
  ready = false;
  (*server)->Shutdown(absl::Seconds(5));
  server->reset();
  // Scrapes and probes read the edge and the store: the endpoint goes
  // before them.
  metrics_server.reset();
  pruner.Stop();
  reporter.reset();
  if (federation || agent_metrics) policy->SetPublishListener(nullptr);
  if (federation) {
    // Every stream ends with <system-shutdown/>.
    live_edge = nullptr;
    federation->Shutdown();
    federation.reset();
  }
  // Stores the invitations still waiting.
  keeper->reset();
  store->reset();
  runtime::LogNotice("agent.stopped");
  return 0;
}

}  // namespace
}  // namespace xmppfed

int main(int argc, char** argv) {
  xmppfed::config::ParsedAgentOptions parsed =
      xmppfed::config::ParseAgentOptions(argc, argv);
  if (!parsed.options) return parsed.exit_code;
  if (parsed.options->reload) return xmppfed::SignalReload(*parsed.options);
  if (parsed.options->copy_store) return xmppfed::CopyStores(*parsed.options);
  return xmppfed::Run(*parsed.options, argc, argv);
}
