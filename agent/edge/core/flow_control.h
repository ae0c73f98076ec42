// Backpressure between the edge's streams: when a stream's queued output
// grows above its high watermark, the edge stops reading from the streams
// that feed it, and resumes them once the output is down to the low
// watermark (gateway settings streamOutputHighWatermark and
// streamOutputLowWatermark). Nothing then piles up in the agent: the
// feeders' bytes wait in their sockets, and their peers' TCP windows close.
//
// Who feeds whom:
//   the component of local domain L   every inbound S2S stream (any partner
//                                      may write to L) and every component
//                                      (one local domain may write to
//                                      another, or to itself)
//   the outbound stream L -> R         the component of L, and the inbound
//                                      streams bound to R's partner (their
//                                      pings and bounces go back out to R)
//   an inbound S2S stream              itself (its output answers its own
//                                      input: features, dialback answers)
//                                      and, when bidirectional (XEP-0288),
//                                      every component (any local domain
//                                      may answer the partner on it)
// A bidirectional outbound stream also feeds every component (as an
// inbound stream does) and itself (its pings and bounces go back on it).
// Dialback verifiers and probes send a bounded handful of elements and
// feed on nothing.
//
// A full stream holds one pause on each feeder it paused (XmlStream pauses
// nest) and releases exactly those; a feeder that appears while a stream is
// full (a new inbound stream, a reconnected component) is paused too. Loop
// thread only.
#ifndef XMPPFED_AGENT_EDGE_CORE_FLOW_CONTROL_H_
#define XMPPFED_AGENT_EDGE_CORE_FLOW_CONTROL_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string_view>
#include <vector>

#include "agent/edge/core/session_registry.h"

namespace xmppfed::edge {

class FlowControl {
 public:
  struct Watermarks {
    size_t high;
    size_t low;
  };

  // The component serving a local domain (null when none).
  using ComponentFor = std::function<Session*(std::string_view domain)>;

  // `watermarks` gives the current marks (from the gateway settings).
  FlowControl(SessionRegistry* registry, ComponentFor component_for,
              std::function<Watermarks()> watermarks);

  // `session` has its stream: sets the stream's marks and callbacks, and
  // pauses it if a full stream feeds on it.
  void Watch(Session* session);
  // `session` may feed other streams now (its partners changed, or the
  // component attached): pauses it if a full stream feeds on it.
  void SourceChanged(Session* session);
  // The gateway's marks changed: every watched stream takes the new ones.
  void WatermarksChanged();

  // Streams currently above their high mark, for tests and logs.
  size_t full_streams() const { return paused_by_.size(); }

 private:
  void OnAboveHigh(uint64_t sink_id);
  void OnBelowLow(uint64_t sink_id);
  void SetMarks(Session* session);
  bool Feeds(Session* source, Session* sink) const;
  std::vector<Session*> FeedersOf(Session* sink) const;

  SessionRegistry* registry_;
  ComponentFor component_for_;
  std::function<Watermarks()> watermarks_;
  // Each full stream -> the ids of the streams it paused.
  std::map<uint64_t, std::set<uint64_t>> paused_by_;
};

}  // namespace xmppfed::edge

#endif  // XMPPFED_AGENT_EDGE_CORE_FLOW_CONTROL_H_
