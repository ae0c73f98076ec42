// Publishes this agent's node record (get-node) in the store at start and
// every few seconds after, with its live stream count then: on etcd the
// record lives under a lease these refreshes keep alive, so the agents
// sharing a store see who is up and how busy (SPEC §7).
#ifndef XMPPFED_AGENT_CLUSTER_NODE_REPORTER_H_
#define XMPPFED_AGENT_CLUSTER_NODE_REPORTER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "agent/store/store.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::cluster {

// How often the record is refreshed: well inside the etcd lease's ten
// seconds.
inline constexpr absl::Duration kNodeRefresh = absl::Seconds(2);

class NodeReporter {
 public:
  // `node` is the agent's fixed facts (id, host name, version, start,
  // listeners); `live_streams` is asked at each refresh. The first record
  // is published before the constructor returns (a failure is logged and
  // retried at the next refresh). `store` must outlive the reporter.
  NodeReporter(store::Store* store, v1::Node node,
               std::function<uint64_t()> live_streams,
               absl::Duration refresh = kNodeRefresh);
  // Stops refreshing (the store removes the record when it closes).
  ~NodeReporter();

  NodeReporter(const NodeReporter&) = delete;
  NodeReporter& operator=(const NodeReporter&) = delete;

 private:
  void Publish();
  void Run();

  store::Store* store_;
  v1::Node node_;
  std::function<uint64_t()> live_streams_;
  absl::Duration refresh_;
  bool failing_ = false;  // reporter thread (and constructor) only

  absl::Mutex mutex_;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::thread thread_;
};

// A random id for this agent's node record, fixed for its lifetime.
std::string NewNodeId();
// This machine's host name ("" if it has none).
std::string HostName();

}  // namespace xmppfed::cluster

#endif  // XMPPFED_AGENT_CLUSTER_NODE_REPORTER_H_
