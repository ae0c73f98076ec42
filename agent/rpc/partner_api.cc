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

using TargetStream = grpc::ServerReaderWriter<v1::PartnerTargetsReply,
                                              v1::PartnerTargetsRequest>;
using TargetsVerb = absl::Status (service::PartnerTargets::*)(
    const service::PartnerTargets::ReadRequest&,
    const service::PartnerTargets::WriteReply&);

// Runs one of the pipeline verbs over the call's stream.
grpc::Status RunTargets(const CallGate* gate, std::string_view method,
                        service::PartnerTargets* targets, TargetsVerb verb,
                        grpc::ServerContext* context, TargetStream* stream) {
  absl::StatusOr<access::Caller> caller = gate->Admit(context, method);
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::Status status = (targets->*verb)(
      [&](v1::PartnerTargetsRequest* request) {
        return !context->IsCancelled() && stream->Read(request);
      },
      [&](const v1::PartnerTargetsReply& reply) {
        return !context->IsCancelled() && stream->Write(reply);
      });
  return ToGrpcStatus(status);
}

// A page is sent when it holds this many bytes of partners (or at the end):
// large enough that per-message costs vanish, small enough that the first
// partners arrive at once and memory stays bounded on both sides.
constexpr size_t kPageBytes = 64 * 1024;

}  // namespace

grpc::Status PartnerApi::NewPartner(grpc::ServerContext* context,
                                    const v1::NewPartnerRequest* request,
                                    v1::PartnerChange* reply) {
  absl::StatusOr<access::Caller> caller =
      gate_->Admit(context, "xmppfed.v1.PartnerService.NewPartner");
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  return Reply(partners_->Create(*request), reply);
}

grpc::Status PartnerApi::SetPartner(grpc::ServerContext* context,
                                    const v1::SetPartnerRequest* request,
                                    v1::PartnerChange* reply) {
  absl::StatusOr<access::Caller> caller =
      gate_->Admit(context, "xmppfed.v1.PartnerService.SetPartner");
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  return Reply(partners_->Set(*request), reply);
}

grpc::Status PartnerApi::GetPartners(
    grpc::ServerContext* context, const v1::GetPartnersRequest* request,
    grpc::ServerWriter<v1::PartnerPage>* writer) {
  absl::StatusOr<access::Caller> caller =
      gate_->Admit(context, "xmppfed.v1.PartnerService.GetPartners");
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  // No buffer_hint: with the synchronous API a hinted Write blocks until
  // the buffer is flushed by a later write, which hangs the last message.
  v1::PartnerPage page;
  size_t page_bytes = 0;
  absl::Status status =
      partners_->Get(*request, [&](const v1::Partner& partner) {
        page_bytes += partner.ByteSizeLong();
        *page.add_partners() = partner;
        if (page_bytes < kPageBytes) return true;
        bool sent = !context->IsCancelled() && writer->Write(page);
        page.Clear();
        page_bytes = 0;
        return sent;
      });
  if (status.ok() && page.partners_size() > 0 && !writer->Write(page)) {
    return grpc::Status(grpc::StatusCode::CANCELLED, "the client went away");
  }
  return ToGrpcStatus(status);
}

grpc::Status PartnerApi::ImportPartners(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<v1::ImportPartnersReply,
                             v1::ImportPartnersRequest>* stream) {
  absl::StatusOr<access::Caller> caller =
      gate_->Admit(context, "xmppfed.v1.PartnerService.ImportPartners");
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::Status status = importer_->Import(
      [&](v1::ImportPartnersRequest* request) {
        return !context->IsCancelled() && stream->Read(request);
      },
      [&](const v1::ImportPartnersReply& reply) {
        return !context->IsCancelled() && stream->Write(reply);
      });
  return ToGrpcStatus(status);
}

grpc::Status PartnerApi::SetPartnerTargets(grpc::ServerContext* context,
                                           TargetStream* stream) {
  return RunTargets(gate_, "xmppfed.v1.PartnerService.SetPartnerTargets",
                    targets_, &service::PartnerTargets::Set, context, stream);
}

grpc::Status PartnerApi::RemovePartnerTargets(grpc::ServerContext* context,
                                              TargetStream* stream) {
  return RunTargets(gate_, "xmppfed.v1.PartnerService.RemovePartnerTargets",
                    targets_, &service::PartnerTargets::Remove, context,
                    stream);
}

grpc::Status PartnerApi::GetPartnerTargets(grpc::ServerContext* context,
                                           TargetStream* stream) {
  return RunTargets(gate_, "xmppfed.v1.PartnerService.GetPartnerTargets",
                    targets_, &service::PartnerTargets::Get, context, stream);
}

grpc::Status PartnerApi::RemovePartners(
    grpc::ServerContext* context, const v1::RemovePartnersRequest* request,
    v1::RemovePartnersReply* reply) {
  absl::StatusOr<access::Caller> caller =
      gate_->Admit(context, "xmppfed.v1.PartnerService.RemovePartners");
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  return Reply(partners_->Remove(*request), reply);
}

}  // namespace xmppfed::rpc
