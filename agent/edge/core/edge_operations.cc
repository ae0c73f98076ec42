// EdgeImpl's answers to the agent's API and reload: the live sessions
// (get-session, remove-session), the partners' federation status, the
// streams' traffic for the metrics, and new certificates. Each runs on the
// loop thread, the caller waiting.
#include <algorithm>
#include <future>
#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "agent/edge/core/edge_impl.h"
#include "agent/runtime/log.h"

namespace xmppfed::edge {

PartnerFederationStatus EdgeImpl::StatusWithLiveStreams(
    const std::string& identity) const {
  PartnerFederationStatus status = federation_status_.Of(identity);
  for (Session* session : registry_.SessionsOf(identity)) {
    if (session->kind() == SessionKind::kInbound) ++status.live_inbound;
    if (session->kind() == SessionKind::kOutbound &&
        !static_cast<OutboundStream*>(session)->traced()) {
      ++status.live_outbound;
    }
  }
  return status;
}

std::vector<PartnerFederationStatus> EdgeImpl::FederationStatus() {
  return RunOnLoop<std::vector<PartnerFederationStatus>>([this] {
    std::vector<PartnerFederationStatus> statuses;
    policy_->partners().ForEachPartner([&](const snapshot::PartnerRef& ref) {
      statuses.push_back(StatusWithLiveStreams(std::string(ref->identity())));
      return true;
    });
    return statuses;
  });
}

std::vector<PartnerFederationStatus> EdgeImpl::FederationStatusOf(
    const std::vector<std::string>& partners) {
  return RunOnLoop<std::vector<PartnerFederationStatus>>([&] {
    std::vector<PartnerFederationStatus> statuses;
    statuses.reserve(partners.size());
    for (const std::string& identity : partners) {
      statuses.push_back(StatusWithLiveStreams(identity));
    }
    return statuses;
  });
}

std::vector<Session*> EdgeImpl::S2sSessions(const std::string& partner) const {
  std::vector<Session*> found =
      partner.empty() ? registry_.All() : registry_.SessionsOf(partner);
  std::erase_if(found, [](Session* session) {
    return session->kind() == SessionKind::kComponent;
  });
  return found;
}

std::vector<SessionInfo> EdgeImpl::ListSessions(const std::string& partner) {
  return RunOnLoop<std::vector<SessionInfo>>([&] {
    std::vector<SessionInfo> infos;
    for (Session* session : S2sSessions(partner)) {
      infos.push_back(session->Info());
    }
    std::sort(
        infos.begin(), infos.end(),
        [](const SessionInfo& a, const SessionInfo& b) { return a.id < b.id; });
    return infos;
  });
}

std::vector<SessionInfo> EdgeImpl::CloseSessions(
    const std::vector<uint64_t>& ids, const std::string& partner) {
  return RunOnLoop<std::vector<SessionInfo>>([&] {
    std::vector<Session*> chosen;
    if (!partner.empty()) chosen = S2sSessions(partner);
    for (uint64_t id : ids) {
      Session* session = registry_.Find(id);
      if (session == nullptr || session->kind() == SessionKind::kComponent ||
          std::find(chosen.begin(), chosen.end(), session) != chosen.end()) {
        continue;
      }
      chosen.push_back(session);
    }
    std::vector<SessionInfo> closed;
    for (Session* session : chosen) {
      closed.push_back(session->Info());
      session->Close(xml::StreamError::kPolicyViolation,
                     "closed by the operator");
    }
    return closed;
  });
}

std::optional<metrics::StreamTraffic> EdgeImpl::Traffic(
    absl::Duration timeout) {
  auto answer = std::make_shared<std::promise<metrics::StreamTraffic>>();
  std::future<metrics::StreamTraffic> traffic = answer->get_future();
  loop_->Post([this, answer] {
    metrics::StreamTraffic total = closed_traffic_;
    for (Session* session : registry_.All()) {
      if (session->kind() == SessionKind::kComponent || !session->stream()) {
        continue;
      }
      total.bytes_received += session->stream()->counters().bytes_in;
      total.bytes_sent += session->stream()->counters().bytes_out;
    }
    answer->set_value(total);
  });
  if (traffic.wait_for(absl::ToChronoNanoseconds(timeout)) !=
      std::future_status::ready) {
    return std::nullopt;
  }
  return traffic.get();
}

absl::Status EdgeImpl::ReloadCredentials(
    const std::vector<tls::Credential>& credentials,
    const std::string& ca_file) {
  if (!thread_.joinable()) {
    return absl::FailedPreconditionError("the federation edge has stopped");
  }
  // Reading the files and the trust store (the system's: some hundred
  // certificates) happens here, on the caller's thread; the loop only swaps
  // a pointer. The new contexts come with empty verdict caches, so no
  // verdict made against the old trust anchors is reused.
  absl::StatusOr<std::unique_ptr<tls::TlsContexts>> built =
      tls::TlsContexts::Create(credentials, ca_file);
  if (!built.ok()) return built.status();
  std::shared_ptr<tls::TlsContexts> fresh = *std::move(built);
  std::string served = fresh->Describe();
  RunOnLoop<bool>([&] {
    tls_ = std::move(fresh);
    options_.credentials = credentials;
    options_.ca_file = ca_file;
    return true;
  });
  runtime::LogNotice("edge.tls.reloaded",
                     absl::StrCat("certificates=\"", served, "\" ca-file=",
                                  ca_file.empty() ? "system" : ca_file));
  return absl::OkStatus();
}

}  // namespace xmppfed::edge
