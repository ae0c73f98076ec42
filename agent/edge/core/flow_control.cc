#include "agent/edge/core/flow_control.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "agent/edge/stream/xml_stream.h"
#include "agent/runtime/log.h"

namespace xmppfed::edge {

FlowControl::FlowControl(SessionRegistry* registry, ComponentFor component_for,
                         std::function<Watermarks()> watermarks)
    : registry_(registry),
      component_for_(std::move(component_for)),
      watermarks_(std::move(watermarks)) {}

void FlowControl::SetMarks(Session* session) {
  XmlStream* stream = session->stream();
  if (stream == nullptr) return;
  Watermarks marks = watermarks_();
  uint64_t id = session->id();
  OutputWatermarks output;
  output.high = marks.high;
  output.low = marks.low;
  output.on_above_high = [this, id] { OnAboveHigh(id); };
  output.on_below_low = [this, id] { OnBelowLow(id); };
  stream->SetOutputWatermarks(std::move(output));
}

void FlowControl::Watch(Session* session) {
  SetMarks(session);
  SourceChanged(session);
}

void FlowControl::WatermarksChanged() {
  for (Session* session : registry_->All()) SetMarks(session);
}

// An outbound sink is read through the Session interface: its local
// domain (Info) and its one partner (Partners).
bool FlowControl::Feeds(Session* source, Session* sink) const {
  switch (sink->kind()) {
    case SessionKind::kComponent:
      return source->kind() == SessionKind::kInbound ||
             source->kind() == SessionKind::kComponent ||
             (source->kind() == SessionKind::kOutbound &&
              source->bidirectional());
    case SessionKind::kOutbound: {
      if (source == sink) return sink->bidirectional();
      if (source->kind() == SessionKind::kComponent) {
        return component_for_(sink->Info().local_domain) == source;
      }
      if (source->kind() != SessionKind::kInbound) return false;
      std::vector<std::string> sink_partners = sink->Partners();
      std::vector<std::string> partners = source->Partners();
      return !sink_partners.empty() &&
             std::find(partners.begin(), partners.end(), sink_partners[0]) !=
                 partners.end();
    }
    case SessionKind::kInbound:
      return source == sink || (sink->bidirectional() &&
                                source->kind() == SessionKind::kComponent);
    case SessionKind::kVerifier:
      return false;
  }
  return false;
}

std::vector<Session*> FlowControl::FeedersOf(Session* sink) const {
  std::vector<Session*> feeders;
  switch (sink->kind()) {
    case SessionKind::kComponent:
      for (Session* session : registry_->All()) {
        if (Feeds(session, sink)) feeders.push_back(session);
      }
      break;
    case SessionKind::kOutbound: {
      if (Session* component = component_for_(sink->Info().local_domain)) {
        feeders.push_back(component);
      }
      if (sink->bidirectional()) feeders.push_back(sink);
      std::vector<std::string> partners = sink->Partners();
      if (partners.empty()) break;
      for (Session* session : registry_->SessionsOf(partners[0])) {
        if (session->kind() == SessionKind::kInbound) {
          feeders.push_back(session);
        }
      }
      break;
    }
    case SessionKind::kInbound:
      feeders.push_back(sink);
      if (sink->bidirectional()) {
        for (Session* session : registry_->All()) {
          if (session->kind() == SessionKind::kComponent) {
            feeders.push_back(session);
          }
        }
      }
      break;
    case SessionKind::kVerifier:
      break;
  }
  return feeders;
}

void FlowControl::OnAboveHigh(uint64_t sink_id) {
  Session* sink = registry_->Find(sink_id);
  if (sink == nullptr || paused_by_.count(sink_id) != 0) return;
  std::set<uint64_t>& paused = paused_by_[sink_id];
  for (Session* feeder : FeedersOf(sink)) {
    XmlStream* stream = feeder->stream();
    if (stream == nullptr || stream->closed()) continue;
    stream->PauseReading();
    paused.insert(feeder->id());
  }
  runtime::LogInfo("flow.paused", absl::StrCat("id=", sink_id, " output=",
                                               sink->stream()->output_bytes(),
                                               " feeders=", paused.size()));
}

void FlowControl::OnBelowLow(uint64_t sink_id) {
  auto it = paused_by_.find(sink_id);
  if (it == paused_by_.end()) return;
  std::set<uint64_t> paused = std::move(it->second);
  paused_by_.erase(it);
  for (uint64_t id : paused) {
    Session* feeder = registry_->Find(id);
    if (feeder == nullptr || feeder->stream() == nullptr) continue;
    feeder->stream()->ResumeReading();
  }
  runtime::LogInfo("flow.resumed",
                   absl::StrCat("id=", sink_id, " feeders=", paused.size()));
}

void FlowControl::SourceChanged(Session* source) {
  XmlStream* stream = source->stream();
  if (stream == nullptr || stream->closed()) return;
  for (auto& [sink_id, paused] : paused_by_) {
    if (paused.count(source->id()) != 0) continue;
    Session* sink = registry_->Find(sink_id);
    if (sink == nullptr || !Feeds(source, sink)) continue;
    stream->PauseReading();
    paused.insert(source->id());
  }
}

}  // namespace xmppfed::edge
