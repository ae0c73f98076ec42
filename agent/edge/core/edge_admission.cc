// EdgeImpl's admission of new connections: the listeners' callbacks, the
// budget of inbound streams still negotiating, the connection limits, and
// whether the descriptor limit covers them.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "agent/edge/core/descriptor_budget.h"
#include "agent/edge/core/edge_impl.h"
#include "agent/edge/net/descriptors.h"
#include "agent/edge/sessions/component_session.h"
#include "agent/edge/sessions/inbound_session.h"
#include "agent/runtime/log.h"

namespace xmppfed::edge {

void EdgeImpl::CheckDescriptorBudget() {
  std::string shortfall = DescriptorBudgetShortfall(
      policy_->gateway(), kMaxVerificationsInFlight, net::DescriptorLimit());
  if (!shortfall.empty()) {
    runtime::LogWarning("edge.descriptors",
                        absl::StrCat("reason=\"", shortfall, "\""));
  }
}

void EdgeImpl::AcceptS2s(int fd, bool direct_tls) {
  // Both listeners share one budget: a direct TLS stream still negotiating
  // (its handshake included) counts as any other.
  auto session = std::make_unique<InboundSession>(this, fd, direct_tls);
  const v1::GatewayConfig& gateway = policy_->gateway();
  std::vector<uint64_t> evict;
  bool over_limit = registry_.s2s_count() >= gateway.connection_limit();
  if (over_limit && !shut_down_) {
    // Every slot taken: a stream still negotiating makes room, if any;
    // otherwise the newcomer is refused (authenticated streams stay).
    if (std::optional<uint64_t> oldest = pre_auth_.TakeOldest()) {
      evict.push_back(*oldest);
      over_limit = false;
    }
  }
  if (!over_limit && !shut_down_) {
    std::vector<uint64_t> more = pre_auth_.Admit(
        session->id(), HostOfPeerAddress(session->stream()->peer_address()),
        std::min(gateway.unauthenticated_stream_limit(),
                 gateway.connection_limit()),
        gateway.unauthenticated_streams_per_address());
    evict.insert(evict.end(), more.begin(), more.end());
  }
  EvictUnauthenticated(evict);
  Admit(std::move(session), over_limit, "s2s.inbound.refused",
        "connection limit reached", "too many streams");
}

void EdgeImpl::EvictUnauthenticated(const std::vector<uint64_t>& ids) {
  if (ids.empty()) {
    if (pre_auth_full_logged_ &&
        pre_auth_.size() * 2 <
            policy_->gateway().unauthenticated_stream_limit()) {
      pre_auth_full_logged_ = false;
    }
    return;
  }
  if (!pre_auth_full_logged_) {
    pre_auth_full_logged_ = true;
    runtime::LogWarning(
        "s2s.inbound.evicting",
        absl::StrCat("unauthenticated=", pre_auth_.size(),
                     " reason=\"the budget of streams still negotiating is "
                     "full: the oldest are closed to make room\""));
  }
  for (uint64_t id : ids) {
    if (Session* session = registry_.Find(id)) {
      session->Close(xml::StreamError::kResourceConstraint,
                     "too many streams are negotiating; the oldest are "
                     "closed to make room");
    }
  }
}

void EdgeImpl::AcceptComponent(int fd) {
  Admit(std::make_unique<ComponentSession>(this, fd, options_.component_secret),
        registry_.count(SessionKind::kComponent) >=
            policy_->gateway().component_connection_limit(),
        "component.refused", "component connection limit reached",
        "too many component connections");
}

template <typename T>
void EdgeImpl::Admit(std::unique_ptr<T> session, bool over_limit,
                     std::string_view event, std::string_view reason,
                     const std::string& text) {
  T* raw = registry_.Add(std::move(session));
  if (raw->kind() == SessionKind::kInbound) metrics_->StreamStarted(raw->id());
  if (absl::Status started = raw->Start(); !started.ok()) {
    pre_auth_.Forget(raw->id());
    registry_.Remove(raw->id());
    return;
  }
  // Refused with a stream error on a stream of their own (RFC 6120 §4.9.3),
  // never with a bare reset.
  if (shut_down_) {
    raw->Close(xml::StreamError::kSystemShutdown, "the edge is shutting down");
  } else if (over_limit) {
    runtime::LogWarning(event, absl::StrCat("id=", raw->id(), " reason=\"",
                                            std::string(reason), "\""));
    raw->Close(xml::StreamError::kResourceConstraint, text);
  }
}

}  // namespace xmppfed::edge
