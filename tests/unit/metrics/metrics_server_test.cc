#include "agent/metrics/metrics_server.h"

#include <gtest/gtest.h>

#include <atomic>

#include "agent/metrics/agent_metrics.h"
#include "tests/support/http_get.h"

namespace xmppfed::metrics {
namespace {

using testing::HttpGet;
using testing::HttpResponse;

struct Started {
  std::shared_ptr<AgentMetrics> metrics = std::make_shared<AgentMetrics>();
  std::atomic<bool> alive = true;
  std::atomic<bool> ready = false;
  std::unique_ptr<MetricsServer> server;

  Started() {
    HealthProbes probes;
    probes.alive = [this] { return alive.load(); };
    probes.ready = [this]() -> absl::Status {
      return ready ? absl::OkStatus()
                   : absl::UnavailableError("the store does not answer");
    };
    absl::StatusOr<std::unique_ptr<MetricsServer>> started =
        MetricsServer::Start("127.0.0.1", 0, metrics, std::move(probes));
    EXPECT_TRUE(started.ok()) << started.status();
    if (started.ok()) server = *std::move(started);
  }

  HttpResponse Get(const std::string& path) {
    absl::StatusOr<HttpResponse> response =
        HttpGet("127.0.0.1", server->port(), path);
    EXPECT_TRUE(response.ok()) << response.status();
    return response.ok() ? *response : HttpResponse{};
  }
};

TEST(MetricsServerTest, PortZeroBindsAFreePortAndServesMetrics) {
  Started started;
  ASSERT_NE(started.server, nullptr);
  EXPECT_NE(started.server->port(), 0);
  EXPECT_EQ(started.server->address(),
            "127.0.0.1:" + std::to_string(started.server->port()));
  started.metrics->StanzaRelayed(Direction::kOutbound);
  HttpResponse response = started.Get("/metrics");
  EXPECT_EQ(response.status, 200);
  EXPECT_NE(
      response.body.find("xmppfed_s2s_stanzas_total{direction=\"outbound\"} 1"),
      std::string::npos)
      << response.body;
}

TEST(MetricsServerTest, HealthzFollowsTheLivenessProbe) {
  Started started;
  ASSERT_NE(started.server, nullptr);
  HttpResponse ok = started.Get("/healthz");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "ok\n");
  started.alive = false;
  EXPECT_EQ(started.Get("/healthz").status, 503);
}

TEST(MetricsServerTest, ReadyzIs503WithTheReasonUntilReady) {
  Started started;
  ASSERT_NE(started.server, nullptr);
  HttpResponse not_ready = started.Get("/readyz");
  EXPECT_EQ(not_ready.status, 503);
  EXPECT_EQ(not_ready.body, "the store does not answer\n");
  started.ready = true;
  HttpResponse ready = started.Get("/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body, "ready\n");
}

TEST(MetricsServerTest, OtherPathsAreNotFound) {
  Started started;
  ASSERT_NE(started.server, nullptr);
  EXPECT_EQ(started.Get("/").status, 404);
  EXPECT_EQ(started.Get("/healthz/x").status, 404);
}

TEST(MetricsServerTest, AnAddressInUseIsAnErrorNamingIt) {
  Started first;
  ASSERT_NE(first.server, nullptr);
  absl::StatusOr<std::unique_ptr<MetricsServer>> second = MetricsServer::Start(
      "127.0.0.1", first.server->port(), std::make_shared<AgentMetrics>(), {});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(
      second.status().message().find("--metrics-listen 127.0.0.1:" +
                                     std::to_string(first.server->port())),
      std::string::npos)
      << second.status();
}

}  // namespace
}  // namespace xmppfed::metrics
