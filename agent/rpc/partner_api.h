// xmppfed.v1.PartnerService over the PartnerManager.
#ifndef XMPPFED_AGENT_RPC_PARTNER_API_H_
#define XMPPFED_AGENT_RPC_PARTNER_API_H_

#include "agent/rpc/call_gate.h"
#include "agent/service/partner_importer.h"
#include "agent/service/partner_manager.h"
#include "agent/service/partner_targets.h"
#include "xmppfed/v1/xmppfed.grpc.pb.h"

namespace xmppfed::rpc {

class PartnerApi final : public v1::PartnerService::Service {
 public:
  PartnerApi(service::PartnerManager* partners,
             service::PartnerImporter* importer, const CallGate* gate,
             service::PartnerTargets* targets)
      : partners_(partners),
        importer_(importer),
        gate_(gate),
        targets_(targets) {}

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
};

}  // namespace xmppfed::rpc

#endif  // XMPPFED_AGENT_RPC_PARTNER_API_H_
