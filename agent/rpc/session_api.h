// xmppfed.v1.SessionService: the live streams of the federation edge
// (`xmppfed get-session`, `xmppfed remove-session`).
//
// The API sees the edge only through SessionSource, so it builds and is
// tested without the edge; the agent adapts its edge::Edge to it.
#ifndef XMPPFED_AGENT_RPC_SESSION_API_H_
#define XMPPFED_AGENT_RPC_SESSION_API_H_

#include <cstdint>
#include <string>
#include <vector>

#include "agent/rpc/call_gate.h"
#include "agent/store/store.h"
#include "xmppfed/v1/xmppfed.grpc.pb.h"

namespace xmppfed::rpc {

// The edge's live streams. Both methods are called from the API's threads,
// concurrently: an implementation must be thread-safe.
class SessionSource {
 public:
  virtual ~SessionSource() = default;
  // The live streams; when `partner` (a normalised identity) is not empty,
  // only that partner's. Any order.
  virtual std::vector<v1::Session> List(const std::string& partner) = 0;
  // Closes the streams with these ids and, when `partner` is not empty,
  // every stream of that partner; returns what it closed, as it was just
  // before. An id that is no longer live is skipped.
  virtual std::vector<v1::Session> Close(const std::vector<uint64_t>& ids,
                                         const std::string& partner) = 0;
  // Every partner's federation status, most trouble first (the order of
  // GetPartnerStatusReply).
  virtual std::vector<v1::PartnerFederationStatus> FederationStatus() = 0;
  // The federation status of these partners (identities), in their order;
  // one the edge does not know reads as nothing seen.
  virtual std::vector<v1::PartnerFederationStatus> FederationStatusOf(
      const std::vector<std::string>& partners) = 0;
};

// The rules of the two calls (SPEC §5):
//  * `partner` is normalised like any domain (INVALID_ARGUMENT, field
//    "partner", when it is not one).
//  * GetSessions: sessions ordered by id; an identity no partner has, or the
//    edge being off, simply lists nothing.
//  * RemoveSessions takes ids or a partner, not both (INVALID_ARGUMENT,
//    field "ids" or "partner"). A partner that does not exist is NOT_FOUND
//    (field "partner", rule "no partner has this identity") even while the
//    edge is off: the store answers that. Then, with the edge off,
//    FAILED_PRECONDITION. Ids are checked against the live streams before
//    anything is closed: the first that is not live is NOT_FOUND (field
//    "id") and nothing is closed. what_if lists what would be closed.
class SessionApi final : public v1::SessionService::Service {
 public:
  // `sessions` is null while the federation edge is off. Both must outlive
  // the API.
  SessionApi(SessionSource* sessions, store::Store* store, const CallGate* gate)
      : sessions_(sessions), store_(store), gate_(gate) {}

  grpc::Status GetSessions(grpc::ServerContext* context,
                           const v1::GetSessionsRequest* request,
                           v1::GetSessionsReply* reply) override;
  grpc::Status RemoveSessions(grpc::ServerContext* context,
                              const v1::RemoveSessionsRequest* request,
                              v1::RemoveSessionsReply* reply) override;
  // Every partner of the store, one when `partner` is given, with what the
  // edge saw of it (nothing while the edge is off).
  grpc::Status GetPartnerStatus(grpc::ServerContext* context,
                                const v1::GetPartnerStatusRequest* request,
                                v1::GetPartnerStatusReply* reply) override;

 private:
  SessionSource* sessions_;
  store::Store* store_;
  const CallGate* gate_;
};

}  // namespace xmppfed::rpc

#endif  // XMPPFED_AGENT_RPC_SESSION_API_H_
