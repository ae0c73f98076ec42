#include "agent/metrics/agent_metrics.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <map>
#include <string>

namespace xmppfed::metrics {
namespace {

// The sample of `name` whose labels include all of `labels`; null if none.
const prometheus::ClientMetric* Find(
    const std::vector<prometheus::MetricFamily>& families,
    const std::string& name, const std::map<std::string, std::string>& labels) {
  for (const prometheus::MetricFamily& family : families) {
    if (family.name != name) continue;
    for (const prometheus::ClientMetric& metric : family.metric) {
      size_t matched = 0;
      for (const prometheus::ClientMetric::Label& label : metric.label) {
        auto it = labels.find(label.name);
        if (it != labels.end() && it->second == label.value) ++matched;
      }
      if (matched == labels.size()) return &metric;
    }
  }
  return nullptr;
}

double Counter(const AgentMetrics& metrics, const std::string& name,
               const std::map<std::string, std::string>& labels) {
  const auto families = metrics.Collect();
  const prometheus::ClientMetric* metric = Find(families, name, labels);
  return metric == nullptr ? -1 : metric->counter.value;
}

double Gauge(const AgentMetrics& metrics, const std::string& name,
             const std::map<std::string, std::string>& labels) {
  const auto families = metrics.Collect();
  const prometheus::ClientMetric* metric = Find(families, name, labels);
  return metric == nullptr ? -1 : metric->gauge.value;
}

uint64_t HistogramCount(const AgentMetrics& metrics, const std::string& name,
                        const std::map<std::string, std::string>& labels) {
  const auto families = metrics.Collect();
  const prometheus::ClientMetric* metric = Find(families, name, labels);
  return metric == nullptr ? 0 : metric->histogram.sample_count;
}

TEST(AgentMetricsTest, AStreamIsOpenFromEstablishedToClosed) {
  AgentMetrics metrics;
  metrics.StreamStarted(7);
  metrics.StreamOpened(7, Direction::kInbound, "SaslExternal", "partner.test");
  const std::map<std::string, std::string> open = {{"direction", "inbound"},
                                                   {"auth", "SaslExternal"}};
  EXPECT_EQ(Gauge(metrics, "xmppfed_s2s_streams_open", open), 1);
  EXPECT_EQ(Counter(metrics, "xmppfed_s2s_streams_opened_total",
                    {{"direction", "inbound"},
                     {"auth", "SaslExternal"},
                     {"partner", "partner.test"}}),
            1);
  EXPECT_EQ(HistogramCount(metrics, "xmppfed_s2s_stream_setup_duration_seconds",
                           {{"direction", "inbound"}}),
            1u);
  metrics.StreamClosed(7);
  EXPECT_EQ(Gauge(metrics, "xmppfed_s2s_streams_open", open), 0);
  // Still counted as opened once.
  EXPECT_EQ(Counter(metrics, "xmppfed_s2s_streams_opened_total",
                    {{"partner", "partner.test"}}),
            1);
}

TEST(AgentMetricsTest, OnlyStartedLiveStreamsCountAndOnlyOnce) {
  AgentMetrics metrics;
  // Never started (a probe): not counted.
  metrics.StreamOpened(1, Direction::kOutbound, "DialbackTls", "p.test");
  // Closed before it was counted: not counted, and no gauge left behind.
  metrics.StreamStarted(2);
  metrics.StreamClosed(2);
  metrics.StreamOpened(2, Direction::kOutbound, "DialbackTls", "p.test");
  // Opened twice: counted once.
  metrics.StreamStarted(3);
  metrics.StreamOpened(3, Direction::kOutbound, "DialbackTls", "p.test");
  metrics.StreamOpened(3, Direction::kOutbound, "DialbackTls", "p.test");
  EXPECT_EQ(Gauge(metrics, "xmppfed_s2s_streams_open",
                  {{"direction", "outbound"}, {"auth", "DialbackTls"}}),
            1);
  EXPECT_EQ(Counter(metrics, "xmppfed_s2s_streams_opened_total",
                    {{"partner", "p.test"}}),
            1);
}

TEST(AgentMetricsTest, PartnerLabelsAreCapped) {
  AgentMetrics metrics;
  for (uint64_t i = 0; i < kMaxPartnerLabels + 5; ++i) {
    metrics.StreamStarted(i);
    metrics.StreamOpened(i, Direction::kInbound, "DialbackTcp",
                         "p" + std::to_string(i) + ".test");
  }
  const auto families = metrics.Collect();
  size_t series = 0;
  for (const auto& family : families) {
    if (family.name == "xmppfed_s2s_streams_opened_total") {
      series = family.metric.size();
    }
  }
  EXPECT_EQ(series, kMaxPartnerLabels + 1);  // + "other"
  EXPECT_EQ(Counter(metrics, "xmppfed_s2s_streams_opened_total",
                    {{"partner", "other"}}),
            5);
  EXPECT_EQ(Counter(metrics, "xmppfed_s2s_streams_opened_total",
                    {{"partner", "p0.test"}}),
            1);
}

TEST(AgentMetricsTest, UnknownAuthConditionAndReasonBecomeOther) {
  AgentMetrics metrics;
  metrics.StreamStarted(1);
  metrics.StreamOpened(1, Direction::kInbound, "Carrier-Pigeon", "p.test");
  metrics.Bounced("service-unavailable");
  metrics.Bounced("<script>");
  metrics.Failed(FailureKind::kSasl, "not-authorized");
  metrics.Failed(FailureKind::kSasl, "whatever the peer said");
  metrics.Failed(FailureKind::kTls, "starttls-refused");
  metrics.Failed(FailureKind::kDialback, "invalid");
  EXPECT_EQ(Gauge(metrics, "xmppfed_s2s_streams_open",
                  {{"direction", "inbound"}, {"auth", "other"}}),
            1);
  EXPECT_EQ(Counter(metrics, "xmppfed_stanza_bounces_total",
                    {{"condition", "service-unavailable"}}),
            1);
  EXPECT_EQ(Counter(metrics, "xmppfed_stanza_bounces_total",
                    {{"condition", "other"}}),
            1);
  EXPECT_EQ(Counter(metrics, "xmppfed_s2s_negotiation_failures_total",
                    {{"step", "sasl"}, {"reason", "not-authorized"}}),
            1);
  EXPECT_EQ(Counter(metrics, "xmppfed_s2s_negotiation_failures_total",
                    {{"step", "sasl"}, {"reason", "other"}}),
            1);
  EXPECT_EQ(Counter(metrics, "xmppfed_s2s_negotiation_failures_total",
                    {{"step", "tls"}, {"reason", "starttls-refused"}}),
            1);
  EXPECT_EQ(Counter(metrics, "xmppfed_s2s_negotiation_failures_total",
                    {{"step", "dialback"}, {"reason", "invalid"}}),
            1);
}

TEST(AgentMetricsTest, StanzasCountByDirection) {
  AgentMetrics metrics;
  for (int i = 0; i < 3; ++i) metrics.StanzaRelayed(Direction::kInbound);
  metrics.StanzaRelayed(Direction::kOutbound);
  EXPECT_EQ(
      Counter(metrics, "xmppfed_s2s_stanzas_total", {{"direction", "inbound"}}),
      3);
  EXPECT_EQ(Counter(metrics, "xmppfed_s2s_stanzas_total",
                    {{"direction", "outbound"}}),
            1);
}

TEST(AgentMetricsTest, BytesComeFromThePullSourceAndNeverGoBack) {
  AgentMetrics metrics;
  StreamTraffic traffic{100, 40};
  bool answers = true;
  metrics.SetPullSources({.traffic = [&]() -> std::optional<StreamTraffic> {
    if (!answers) return std::nullopt;
    return traffic;
  }});
  EXPECT_EQ(
      Counter(metrics, "xmppfed_s2s_bytes_total", {{"direction", "received"}}),
      100);
  traffic = {250, 90};
  EXPECT_EQ(
      Counter(metrics, "xmppfed_s2s_bytes_total", {{"direction", "sent"}}), 90);
  // An edge that does not answer leaves the last values.
  answers = false;
  EXPECT_EQ(
      Counter(metrics, "xmppfed_s2s_bytes_total", {{"direction", "received"}}),
      250);
}

TEST(AgentMetricsTest, SnapshotRevisionAndAge) {
  AgentMetrics metrics;
  metrics.SnapshotPublished(42);
  EXPECT_EQ(Gauge(metrics, "xmppfed_config_revision", {}), 42);
  double age = Gauge(metrics, "xmppfed_config_snapshot_age_seconds", {});
  EXPECT_GE(age, 0);
  EXPECT_LT(age, 5);
}

TEST(AgentMetricsTest, StoreTimingsByOperation) {
  AgentMetrics metrics;
  metrics.ObserveStore(StoreOperation::kWrite, 0.003);
  metrics.ObserveStore(StoreOperation::kRead, 0.0001);
  metrics.ObserveStore(StoreOperation::kRead, 0.0002);
  EXPECT_EQ(HistogramCount(metrics, "xmppfed_store_request_duration_seconds",
                           {{"operation", "write"}}),
            1u);
  EXPECT_EQ(HistogramCount(metrics, "xmppfed_store_request_duration_seconds",
                           {{"operation", "read"}}),
            2u);
}

TEST(AgentMetricsTest, EveryFamilyIsNamedAfterTheProject) {
  AgentMetrics metrics;
  for (const auto& family : metrics.Collect()) {
    EXPECT_EQ(family.name.rfind("xmppfed_", 0), 0u) << family.name;
    if (family.type == prometheus::MetricType::Counter) {
      EXPECT_TRUE(family.name.ends_with("_total")) << family.name;
    }
  }
}

}  // namespace
}  // namespace xmppfed::metrics
