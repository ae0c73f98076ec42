#include "agent/metrics/metrics_server.h"

#include <CivetServer.h>
#include <civetweb.h>
#include <prometheus/exposer.h>

#include <exception>
#include <map>
#include <mutex>
#include <string_view>

#include "absl/strings/str_cat.h"

namespace xmppfed::metrics {
namespace {

// civetweb's callbacks are plain functions, and the Exposer keeps civetweb's
// user data for itself: the probes are found by the port the request came
// in on. One entry per running server.
std::mutex servers_mutex;
std::map<int, std::shared_ptr<HealthProbes>>& Servers() {
  static auto* servers = new std::map<int, std::shared_ptr<HealthProbes>>();
  return *servers;
}

std::shared_ptr<HealthProbes> ProbesFor(int port) {
  std::lock_guard lock(servers_mutex);
  auto it = Servers().find(port);
  return it == Servers().end() ? nullptr : it->second;
}

int Reply(mg_connection* connection, int status, std::string_view body) {
  std::string text(body);
  text += "\n";
  mg_printf(connection,
            "HTTP/1.1 %d %s\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Length: %zu\r\n"
            "Cache-Control: no-store\r\n"
            "Connection: close\r\n\r\n",
            status, status == 200 ? "OK" : "Service Unavailable", text.size());
  if (std::string_view(mg_get_request_info(connection)->request_method) !=
      "HEAD") {
    mg_write(connection, text.data(), text.size());
  }
  return status;
}

// Answers /healthz and /readyz; 0 lets the Exposer handle anything else.
int BeginRequest(mg_connection* connection) {
  const mg_request_info* request = mg_get_request_info(connection);
  std::string_view uri =
      request->local_uri != nullptr ? request->local_uri : "";
  if (uri != "/healthz" && uri != "/readyz") return 0;
  std::shared_ptr<HealthProbes> probes = ProbesFor(request->server_port);
  if (probes == nullptr) return Reply(connection, 503, "starting");
  if (uri == "/healthz") {
    if (probes->alive && !probes->alive()) {
      return Reply(connection, 503, "the edge's event loop does not answer");
    }
    return Reply(connection, 200, "ok");
  }
  absl::Status ready =
      probes->ready ? probes->ready() : absl::UnavailableError("starting");
  if (!ready.ok()) return Reply(connection, 503, std::string(ready.message()));
  return Reply(connection, 200, "ready");
}

std::string JoinHostPort(const std::string& host, uint16_t port) {
  return host.find(':') != std::string::npos
             ? absl::StrCat("[", host, "]:", port)
             : absl::StrCat(host, ":", port);
}

}  // namespace

MetricsServer::MetricsServer(std::string host, HealthProbes probes)
    : host_(std::move(host)),
      probes_(std::make_shared<HealthProbes>(std::move(probes))) {}

absl::StatusOr<std::unique_ptr<MetricsServer>> MetricsServer::Start(
    const std::string& host, uint16_t port,
    std::shared_ptr<prometheus::Collectable> collectable, HealthProbes probes) {
  std::unique_ptr<MetricsServer> server(
      new MetricsServer(host, std::move(probes)));
  // civetweb copies the callbacks when it starts.
  CivetCallbacks callbacks;
  callbacks.begin_request = &BeginRequest;
  const std::string address = JoinHostPort(host, port);
  // The Exposer reports a port it cannot bind by throwing (civetweb's
  // CivetException); nothing else here throws.
  try {
    server->exposer_ =
        std::make_unique<prometheus::Exposer>(address, 2, &callbacks);
  } catch (const std::exception& e) {
    return absl::UnavailableError(
        absl::StrCat("--metrics-listen ", address, ": cannot listen there (",
                     e.what(), "); is the address local and the port free?"));
  }
  std::vector<int> ports = server->exposer_->GetListeningPorts();
  if (ports.empty()) {
    return absl::UnavailableError(
        absl::StrCat("--metrics-listen ", address, ": no port was bound"));
  }
  server->port_ = static_cast<uint16_t>(ports.front());
  server->collectable_ = std::move(collectable);
  server->exposer_->RegisterCollectable(server->collectable_);
  {
    std::lock_guard lock(servers_mutex);
    Servers()[server->port_] = server->probes_;
  }
  return server;
}

MetricsServer::~MetricsServer() {
  if (exposer_ == nullptr) return;
  {
    std::lock_guard lock(servers_mutex);
    auto it = Servers().find(port_);
    if (it != Servers().end() && it->second == probes_) Servers().erase(it);
  }
  // Stops civetweb (waits for the requests in progress) before the probes
  // and the collectable go.
  exposer_.reset();
}

std::string MetricsServer::address() const {
  return JoinHostPort(host_, port_);
}

}  // namespace xmppfed::metrics
