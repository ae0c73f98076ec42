#include "agent/rpc/partner_api.h"

#include "agent/rpc/status_conversion.h"

namespace xmppfed::rpc {
namespace {

// Moves a StatusOr's value into the reply, or converts its error.
template <typename T>
grpc::Status Reply(absl::StatusOr<T> result, T* reply) {
  if (!result.ok()) return ToGrpcStatus(result.status());
  *reply = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace

grpc::Status PartnerApi::NewPartner(grpc::ServerContext*,
                                    const v1::NewPartnerRequest* request,
                                    v1::PartnerChange* reply) {
  return Reply(partners_->Create(*request), reply);
}

grpc::Status PartnerApi::SetPartner(grpc::ServerContext*,
                                    const v1::SetPartnerRequest* request,
                                    v1::PartnerChange* reply) {
  return Reply(partners_->Set(*request), reply);
}

grpc::Status PartnerApi::GetPartners(grpc::ServerContext* context,
                                     const v1::GetPartnersRequest* request,
                                     grpc::ServerWriter<v1::Partner>* writer) {
  // No buffer_hint: with the synchronous API a hinted Write blocks until
  // the buffer is flushed by a later write, which hangs the last message.
  absl::Status status =
      partners_->Get(*request, [&](const v1::Partner& partner) {
        return !context->IsCancelled() && writer->Write(partner);
      });
  return ToGrpcStatus(status);
}

grpc::Status PartnerApi::RemovePartners(
    grpc::ServerContext*, const v1::RemovePartnersRequest* request,
    v1::RemovePartnersReply* reply) {
  return Reply(partners_->Remove(*request), reply);
}

}  // namespace xmppfed::rpc
