#include "agent/metrics/agent_metrics.h"

#include <algorithm>

namespace xmppfed::metrics {
namespace {

constexpr std::array<const char*, 2> kDirections = {"inbound", "outbound"};
// SessionInfo's auth values, then anything else.
constexpr std::array<const char*, 4> kAuthLabels = {
    "SaslExternal", "DialbackTls", "DialbackTcp", "other"};

// RFC 6120 §8.3.3: the stanza error conditions a bounce can carry.
constexpr const char* kBounceConditions[] = {"bad-request",
                                             "conflict",
                                             "feature-not-implemented",
                                             "forbidden",
                                             "gone",
                                             "internal-server-error",
                                             "item-not-found",
                                             "jid-malformed",
                                             "not-acceptable",
                                             "not-allowed",
                                             "not-authorized",
                                             "policy-violation",
                                             "recipient-unavailable",
                                             "redirect",
                                             "registration-required",
                                             "remote-server-not-found",
                                             "remote-server-timeout",
                                             "resource-constraint",
                                             "service-unavailable",
                                             "subscription-required",
                                             "undefined-condition",
                                             "unexpected-request"};

// Reasons per FailureKind (the edge's hooks pass these). TLS: the peer
// refused STARTTLS, did not offer it though required, its certificate was
// not acceptable, or the handshake itself failed.
constexpr const char* kTlsReasons[] = {"starttls-refused", "not-offered",
                                       "peer-certificate", "handshake-failed"};
// RFC 6120 §6.5: SASL failure conditions, ours or the peer's.
constexpr const char* kSaslReasons[] = {"aborted",
                                        "account-disabled",
                                        "credentials-expired",
                                        "encryption-required",
                                        "incorrect-encoding",
                                        "invalid-authzid",
                                        "invalid-mechanism",
                                        "malformed-request",
                                        "mechanism-too-weak",
                                        "not-authorized",
                                        "temporary-auth-failure"};
// XEP-0220: the peer refused our key (its type: invalid / error), or a key
// a peer presented to us did not verify (or its authority was unreachable).
constexpr const char* kDialbackReasons[] = {
    "invalid", "error", "verify-invalid", "verify-unreachable"};

double Seconds(std::chrono::steady_clock::duration duration) {
  return std::chrono::duration<double>(duration).count();
}

template <size_t N>
std::map<std::string, prometheus::Counter*, std::less<>> Children(
    prometheus::Family<prometheus::Counter>& family, const std::string& label,
    const char* const (&values)[N], const prometheus::Labels& fixed = {}) {
  std::map<std::string, prometheus::Counter*, std::less<>> children;
  auto add = [&](const std::string& value) {
    prometheus::Labels labels = fixed;
    labels[label] = value;
    children[value] = &family.Add(labels);
  };
  for (const char* value : values) add(value);
  add("other");
  return children;
}

prometheus::Counter* Lookup(
    const std::map<std::string, prometheus::Counter*, std::less<>>& children,
    std::string_view value) {
  auto it = children.find(value);
  return it != children.end() ? it->second : children.find("other")->second;
}

}  // namespace

AgentMetrics::AgentMetrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      snapshot_at_(Clock::now()) {
  auto& open = prometheus::BuildGauge()
                   .Name("xmppfed_s2s_streams_open")
                   .Help(
                       "S2S streams established now, by direction and "
                       "authentication method")
                   .Register(*registry_);
  opened_family_ = &prometheus::BuildCounter()
                        .Name("xmppfed_s2s_streams_opened_total")
                        .Help(
                            "S2S streams established, by direction, "
                            "authentication method and partner")
                        .Register(*registry_);
  auto& setup = prometheus::BuildHistogram()
                    .Name("xmppfed_s2s_stream_setup_duration_seconds")
                    .Help(
                        "Time from a stream's start (TCP accepted or "
                        "connection requested) to its authentication")
                    .Register(*registry_);
  auto& stanzas = prometheus::BuildCounter()
                      .Name("xmppfed_s2s_stanzas_total")
                      .Help(
                          "Stanzas received from partners (inbound) and "
                          "sent to them (outbound)")
                      .Register(*registry_);
  auto& bytes = prometheus::BuildCounter()
                    .Name("xmppfed_s2s_bytes_total")
                    .Help(
                        "Bytes on the S2S connections (TLS records "
                        "included), received and sent")
                    .Register(*registry_);
  auto& bounces = prometheus::BuildCounter()
                      .Name("xmppfed_stanza_bounces_total")
                      .Help(
                          "Stanzas the edge answered with an error, by "
                          "condition")
                      .Register(*registry_);
  auto& failures = prometheus::BuildCounter()
                       .Name("xmppfed_s2s_negotiation_failures_total")
                       .Help(
                           "Failed TLS, SASL and dialback steps, by step "
                           "and reason")
                       .Register(*registry_);
  auto& store = prometheus::BuildHistogram()
                    .Name("xmppfed_store_request_duration_seconds")
                    .Help(
                        "Time the configuration store took per call, by "
                        "operation (read, or write: a commit)")
                    .Register(*registry_);
  config_revision_ = &prometheus::BuildGauge()
                          .Name("xmppfed_config_revision")
                          .Help(
                              "Store revision of the policy snapshot the "
                              "edge decides from")
                          .Register(*registry_)
                          .Add({});
  snapshot_age_ = &prometheus::BuildGauge()
                       .Name("xmppfed_config_snapshot_age_seconds")
                       .Help(
                           "Seconds since the policy snapshot in use was "
                           "published")
                       .Register(*registry_)
                       .Add({});

  const prometheus::Histogram::BucketBoundaries setup_buckets = {
      0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
  const prometheus::Histogram::BucketBoundaries store_buckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
      0.025,  0.05,    0.1,    0.25,  0.5,    1,     2.5};
  for (size_t d = 0; d < kDirections.size(); ++d) {
    for (size_t a = 0; a < kAuths; ++a) {
      open_streams_[d][a] =
          &open.Add({{"direction", kDirections[d]}, {"auth", kAuthLabels[a]}});
    }
    setup_seconds_[d] =
        &setup.Add({{"direction", kDirections[d]}}, setup_buckets);
    stanzas_[d] = &stanzas.Add({{"direction", kDirections[d]}});
  }
  bytes_[0] = &bytes.Add({{"direction", "received"}});
  bytes_[1] = &bytes.Add({{"direction", "sent"}});
  bounces_ = Children(bounces, "condition", kBounceConditions);
  failures_[static_cast<size_t>(FailureKind::kTls)] =
      Children(failures, "reason", kTlsReasons, {{"step", "tls"}});
  failures_[static_cast<size_t>(FailureKind::kSasl)] =
      Children(failures, "reason", kSaslReasons, {{"step", "sasl"}});
  failures_[static_cast<size_t>(FailureKind::kDialback)] =
      Children(failures, "reason", kDialbackReasons, {{"step", "dialback"}});
  store_seconds_[0] = &store.Add({{"operation", "read"}}, store_buckets);
  store_seconds_[1] = &store.Add({{"operation", "write"}}, store_buckets);
}

void AgentMetrics::SetPullSources(PullSources sources) {
  absl::MutexLock lock(&mutex_);
  pull_ = std::move(sources);
}

void AgentMetrics::StreamStarted(uint64_t stream_id) {
  absl::MutexLock lock(&mutex_);
  streams_[stream_id] = LiveStream{Clock::now(), nullptr};
}

std::string AgentMetrics::PartnerLabel(std::string_view partner) {
  if (std::find(partner_labels_.begin(), partner_labels_.end(), partner) !=
      partner_labels_.end()) {
    return std::string(partner);
  }
  if (partner.empty() || partner == "other" ||
      partner_labels_.size() >= kMaxPartnerLabels) {
    return "other";
  }
  partner_labels_.emplace_back(partner);
  return std::string(partner);
}

void AgentMetrics::StreamOpened(uint64_t stream_id, Direction direction,
                                std::string_view auth,
                                std::string_view partner) {
  size_t d = DirectionIndex(direction);
  size_t a = 0;
  while (a + 1 < kAuths && auth != kAuthLabels[a]) ++a;
  absl::MutexLock lock(&mutex_);
  auto it = streams_.find(stream_id);
  // Not started (a test-partner probe), closed already, or counted already.
  if (it == streams_.end() || it->second.open != nullptr) return;
  setup_seconds_[d]->Observe(Seconds(Clock::now() - it->second.started));
  it->second.open = open_streams_[d][a];
  it->second.open->Increment();
  opened_family_
      ->Add({{"direction", kDirections[d]},
             {"auth", kAuthLabels[a]},
             {"partner", PartnerLabel(partner)}})
      .Increment();
}

void AgentMetrics::StreamClosed(uint64_t stream_id) {
  absl::MutexLock lock(&mutex_);
  auto it = streams_.find(stream_id);
  if (it == streams_.end()) return;
  if (it->second.open != nullptr) it->second.open->Decrement();
  streams_.erase(it);
}

void AgentMetrics::StanzaRelayed(Direction direction) {
  stanzas_[DirectionIndex(direction)]->Increment();
}

void AgentMetrics::Bounced(std::string_view condition) {
  Lookup(bounces_, condition)->Increment();
}

void AgentMetrics::Failed(FailureKind kind, std::string_view reason) {
  Lookup(failures_[static_cast<size_t>(kind)], reason)->Increment();
}

void AgentMetrics::ObserveStore(StoreOperation operation, double seconds) {
  store_seconds_[operation == StoreOperation::kRead ? 0 : 1]->Observe(seconds);
}

void AgentMetrics::SnapshotPublished(uint64_t revision) {
  absl::MutexLock lock(&mutex_);
  config_revision_->Set(static_cast<double>(revision));
  snapshot_at_ = Clock::now();
}

void AgentMetrics::RefreshPulled() const {
  std::function<std::optional<StreamTraffic>()> traffic;
  {
    absl::MutexLock lock(&mutex_);
    traffic = pull_.traffic;
    snapshot_age_->Set(Seconds(Clock::now() - snapshot_at_));
  }
  // Outside the lock: the edge answers on its own thread.
  std::optional<StreamTraffic> now =
      traffic ? traffic() : std::optional<StreamTraffic>();
  if (!now) return;
  absl::MutexLock lock(&mutex_);
  // The streams' totals only grow; overlapping scrapes add each byte once.
  if (now->bytes_received > traffic_seen_.bytes_received) {
    bytes_[0]->Increment(static_cast<double>(now->bytes_received -
                                             traffic_seen_.bytes_received));
    traffic_seen_.bytes_received = now->bytes_received;
  }
  if (now->bytes_sent > traffic_seen_.bytes_sent) {
    bytes_[1]->Increment(
        static_cast<double>(now->bytes_sent - traffic_seen_.bytes_sent));
    traffic_seen_.bytes_sent = now->bytes_sent;
  }
}

std::vector<prometheus::MetricFamily> AgentMetrics::Collect() const {
  RefreshPulled();
  return registry_->Collect();
}

}  // namespace xmppfed::metrics
