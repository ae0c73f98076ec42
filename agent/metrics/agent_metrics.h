// The agent's metrics (SPEC §6, --metrics-listen): one prometheus-cpp
// registry holding every xmppfed_* family, fed by the edge through
// EdgeMetrics, by the store through StoreTimings, and at scrape time by the
// pull sources (bytes counted by the streams themselves, the policy
// snapshot's revision and age).
//
// Cardinality is bounded by construction: the direction, auth, step and
// condition labels take values from fixed lists (anything else becomes
// "other"), and the partner label names at most kMaxPartnerLabels distinct
// partners (the edge only opens streams for configured partners); streams
// of any further partner count under partner="other".
//
// Hot paths: the children of every fixed label set are created here, once,
// and kept as pointers; StanzaRelayed is one atomic add. Only stream set-up
// and close (rare) take a mutex.
#ifndef XMPPFED_AGENT_METRICS_AGENT_METRICS_H_
#define XMPPFED_AGENT_METRICS_AGENT_METRICS_H_

#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "agent/metrics/edge_metrics.h"

namespace xmppfed::metrics {

// Distinct partner label values before "other".
inline constexpr size_t kMaxPartnerLabels = 100;

// Store calls, by what they do.
enum class StoreOperation { kRead, kWrite };

class StoreTimings {
 public:
  virtual ~StoreTimings() = default;
  virtual void ObserveStore(StoreOperation operation, double seconds) = 0;
};

// What is read when scraped rather than counted as it happens.
struct PullSources {
  // nullopt when the edge did not answer in time (the last values stay).
  std::function<std::optional<StreamTraffic>()> traffic;
};

class AgentMetrics final : public EdgeMetrics,
                           public StoreTimings,
                           public prometheus::Collectable {
 public:
  AgentMetrics();
  AgentMetrics(const AgentMetrics&) = delete;
  AgentMetrics& operator=(const AgentMetrics&) = delete;

  // Before the first scrape.
  void SetPullSources(PullSources sources);

  // EdgeMetrics (loop thread)
  void StreamStarted(uint64_t stream_id) override;
  void StreamOpened(uint64_t stream_id, Direction direction,
                    std::string_view auth, std::string_view partner) override;
  void StreamClosed(uint64_t stream_id) override;
  void StanzaRelayed(Direction direction) override;
  void Bounced(std::string_view condition) override;
  void Failed(FailureKind kind, std::string_view reason) override;

  // StoreTimings (any thread)
  void ObserveStore(StoreOperation operation, double seconds) override;

  // The policy snapshot with this store revision was published (any
  // thread): xmppfed_config_revision, and the age counts from now.
  void SnapshotPublished(uint64_t revision);

  // prometheus::Collectable: refreshes the pulled values, then collects
  // every family (any thread; scrapes may overlap).
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  using Clock = std::chrono::steady_clock;
  static constexpr size_t kAuths = 4;  // three methods and "other"

  struct LiveStream {
    Clock::time_point started;
    prometheus::Gauge* open = nullptr;  // set once opened
  };

  static size_t DirectionIndex(Direction direction) {
    return direction == Direction::kInbound ? 0 : 1;
  }
  std::string PartnerLabel(std::string_view partner)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  void RefreshPulled() const;

  std::shared_ptr<prometheus::Registry> registry_;

  prometheus::Family<prometheus::Counter>* opened_family_;
  // [direction][auth]
  std::array<std::array<prometheus::Gauge*, kAuths>, 2> open_streams_;
  std::array<prometheus::Histogram*, 2> setup_seconds_;
  std::array<prometheus::Counter*, 2> stanzas_;
  std::array<prometheus::Counter*, 2> bytes_;  // [received, sent]
  // condition -> counter, "other" included.
  std::map<std::string, prometheus::Counter*, std::less<>> bounces_;
  // [kind]: reason -> counter, "other" included.
  std::array<std::map<std::string, prometheus::Counter*, std::less<>>, 3>
      failures_;
  std::array<prometheus::Histogram*, 2> store_seconds_;
  prometheus::Gauge* config_revision_;
  prometheus::Gauge* snapshot_age_;

  mutable absl::Mutex mutex_;
  std::unordered_map<uint64_t, LiveStream> streams_ ABSL_GUARDED_BY(mutex_);
  std::vector<std::string> partner_labels_ ABSL_GUARDED_BY(mutex_);
  PullSources pull_ ABSL_GUARDED_BY(mutex_);
  mutable StreamTraffic traffic_seen_ ABSL_GUARDED_BY(mutex_);
  Clock::time_point snapshot_at_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace xmppfed::metrics

#endif  // XMPPFED_AGENT_METRICS_AGENT_METRICS_H_
