#include "agent/edge_session_source.h"

#include "absl/time/time.h"

namespace xmppfed {
namespace {

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

}  // namespace xmppfed
