// xmppfed.v1.PartnerService over the PartnerManager.
#ifndef XMPPFED_AGENT_RPC_PARTNER_API_H_
#define XMPPFED_AGENT_RPC_PARTNER_API_H_

#include "agent/rpc/call_gate.h"
#include "agent/rpc/session_api.h"
#include "agent/service/partner_importer.h"
#include "agent/service/partner_manager.h"
#include "agent/service/partner_targets.h"
#include "xmppfed/v1/xmppfed.grpc.pb.h"

namespace xmppfed::rpc {

// Trailing metadata of a GetPartners answered from the agent's policy in
// memory because the store is unreachable: why, since when, which revision.
inline constexpr char kStaleReadKey[] = "xmppfed-stale-read";

// The partners GetPartners and GetPartnerTargets answer carry their
// federation status (partner_status.h), read from `statuses`: the edge, or
// null while it is off.
class PartnerApi final : public v1::PartnerService::Service {
 public:
  PartnerApi(service::PartnerManager* partners,
             service::PartnerImporter* importer, const CallGate* gate,
             service::PartnerTargets* targets,
             SessionSource* statuses = nullptr)
      : partners_(partners),
        importer_(importer),
        gate_(gate),
        targets_(targets),
        statuses_(statuses) {}

  grpc::Status NewPartner(grpc::ServerContext* context,
                          const v1::NewPartnerRequest* request,
                          v1::PartnerChange* reply) override;
  grpc::Status SetPartner(grpc::ServerContext* context,
                          const v1::SetPartnerRequest* request,
                          v1::PartnerChange* reply) override;
  grpc::Status GetPartners(
      grpc::ServerContext* context, const v1::GetPartnersRequest* request,
      grpc::ServerWriter<v1::PartnerPage>* writer) override;
  grpc::Status RemovePartners(grpc::ServerContext* context,
                              const v1::RemovePartnersRequest* request,
                              v1::RemovePartnersReply* reply) override;
  grpc::Status ImportPartners(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<v1::ImportPartnersReply,
                               v1::ImportPartnersRequest>* stream) override;
  grpc::Status SetPartnerTargets(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<v1::PartnerTargetsReply,
                               v1::PartnerTargetsRequest>* stream) override;
  grpc::Status RemovePartnerTargets(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<v1::PartnerTargetsReply,
                               v1::PartnerTargetsRequest>* stream) override;
  grpc::Status GetPartnerTargets(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<v1::PartnerTargetsReply,
                               v1::PartnerTargetsRequest>* stream) override;

 private:
  service::PartnerManager* partners_;
  service::PartnerImporter* importer_;
  const CallGate* gate_;
  service::PartnerTargets* targets_;
  SessionSource* statuses_;
};

}  // namespace xmppfed::rpc

#endif  // XMPPFED_AGENT_RPC_PARTNER_API_H_
