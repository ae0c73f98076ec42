#include "agent/edge_session_source.h"

#include "absl/time/time.h"
#include "agent/store/stored_records.h"

namespace xmppfed {
namespace {

v1::PartnerFederationStatus ToStatus(
    const edge::PartnerFederationStatus& status) {
  v1::PartnerFederationStatus out;
  out.set_partner(status.partner);
  if (status.last_inbound_at != absl::InfinitePast()) {
    store::SetTimestamp(absl::ToUnixMicros(status.last_inbound_at),
                        out.mutable_last_inbound_at());
  }
  if (status.last_outbound_at != absl::InfinitePast()) {
    store::SetTimestamp(absl::ToUnixMicros(status.last_outbound_at),
                        out.mutable_last_outbound_at());
  }
  if (status.last_failure_at != absl::InfinitePast()) {
    store::SetTimestamp(absl::ToUnixMicros(status.last_failure_at),
                        out.mutable_last_failure_at());
  }
  out.set_last_failure_direction(status.last_failure_direction);
  out.set_last_failure_step(status.last_failure_step);
  out.set_last_failure(status.last_failure);
  out.set_consecutive_failures(status.consecutive_failures);
  out.set_live_inbound_streams(status.live_inbound);
  out.set_live_outbound_streams(status.live_outbound);
  return out;
}

v1::Session ToSession(const edge::SessionInfo& info) {
  v1::Session session;
  session.set_id(info.id);
  session.set_direction(info.direction);
  session.set_local_domain(info.local_domain);
  session.set_remote_domain(info.remote_domain);
  session.set_partner(info.partner);
  session.set_auth(info.auth);
  session.set_tls_version(info.tls_version);
  session.set_tls_cipher(info.tls_cipher);
  session.set_peer_address(info.peer_address);
  if (info.established_at != absl::InfinitePast()) {
    int64_t micros = absl::ToUnixMicros(info.established_at);
    session.mutable_established_at()->set_seconds(micros / 1000000);
    session.mutable_established_at()->set_nanos(
        static_cast<int32_t>(micros % 1000000) * 1000);
  }
  session.set_stanzas_in(info.stanzas_in);
  session.set_stanzas_out(info.stanzas_out);
  session.set_bytes_in(info.bytes_in);
  session.set_bytes_out(info.bytes_out);
  session.set_bidirectional(info.bidirectional);
  session.set_direct_tls(info.direct_tls);
  return session;
}

std::vector<v1::Session> ToSessions(
    const std::vector<edge::SessionInfo>& infos) {
  std::vector<v1::Session> sessions;
  sessions.reserve(infos.size());
  for (const edge::SessionInfo& info : infos) {
    sessions.push_back(ToSession(info));
  }
  return sessions;
}

}  // namespace

std::vector<v1::Session> EdgeSessionSource::List(const std::string& partner) {
  return ToSessions(edge_->ListSessions(partner));
}

std::vector<v1::Session> EdgeSessionSource::Close(
    const std::vector<uint64_t>& ids, const std::string& partner) {
  return ToSessions(edge_->CloseSessions(ids, partner));
}

std::vector<v1::PartnerFederationStatus> EdgeSessionSource::FederationStatus() {
  std::vector<edge::PartnerFederationStatus> statuses =
      edge_->FederationStatus();
  edge::SortByTrouble(statuses);
  std::vector<v1::PartnerFederationStatus> out;
  out.reserve(statuses.size());
  for (const edge::PartnerFederationStatus& status : statuses) {
    out.push_back(ToStatus(status));
  }
  return out;
}

std::vector<v1::PartnerFederationStatus> EdgeSessionSource::FederationStatusOf(
    const std::vector<std::string>& partners) {
  std::vector<v1::PartnerFederationStatus> out;
  out.reserve(partners.size());
  for (const edge::PartnerFederationStatus& status :
       edge_->FederationStatusOf(partners)) {
    out.push_back(ToStatus(status));
  }
  return out;
}

}  // namespace xmppfed
