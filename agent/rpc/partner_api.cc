#include "agent/rpc/partner_api.h"

#include <functional>
#include <vector>

#include "agent/rpc/partner_status.h"
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
    const service::PartnerTargets::WriteReply&, const audit::Actor&);

// What a pipeline verb's reply becomes before it is sent (nothing: as is).
using ReplyEdit = std::function<void(v1::PartnerTargetsReply*)>;

// Runs one of the pipeline verbs over the call's stream.
grpc::Status RunTargets(const CallGate* gate, std::string_view method,
                        service::PartnerTargets* targets, TargetsVerb verb,
                        grpc::ServerContext* context, TargetStream* stream,
                        const ReplyEdit& edit = nullptr) {
  absl::StatusOr<audit::Actor> actor = gate->Admit(context, method);
  if (!actor.ok()) return ToGrpcStatus(actor.status());
  absl::Status status = (targets->*verb)(
      [&](v1::PartnerTargetsRequest* request) {
        return !context->IsCancelled() && stream->Read(request);
      },
      [&](const v1::PartnerTargetsReply& reply) {
        if (context->IsCancelled()) return false;
        if (!edit) return stream->Write(reply);
        v1::PartnerTargetsReply edited = reply;
        edit(&edited);
        return stream->Write(edited);
      },
      *actor);
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
  absl::StatusOr<audit::Actor> actor =
      gate_->Admit(context, "xmppfed.v1.PartnerService.NewPartner");
  if (!actor.ok()) return ToGrpcStatus(actor.status());
  return Reply(partners_->Create(*request, *actor), reply);
}

grpc::Status PartnerApi::SetPartner(grpc::ServerContext* context,
                                    const v1::SetPartnerRequest* request,
                                    v1::PartnerChange* reply) {
  absl::StatusOr<audit::Actor> actor =
      gate_->Admit(context, "xmppfed.v1.PartnerService.SetPartner");
  if (!actor.ok()) return ToGrpcStatus(actor.status());
  return Reply(partners_->Set(*request, *actor), reply);
}

grpc::Status PartnerApi::GetPartners(
    grpc::ServerContext* context, const v1::GetPartnersRequest* request,
    grpc::ServerWriter<v1::PartnerPage>* writer) {
  absl::StatusOr<audit::Actor> actor =
      gate_->Admit(context, "xmppfed.v1.PartnerService.GetPartners");
  if (!actor.ok()) return ToGrpcStatus(actor.status());
  // No buffer_hint: with the synchronous API a hinted Write blocks until
  // the buffer is flushed by a later write, which hangs the last message.
  v1::PartnerPage page;
  size_t page_bytes = 0;
  std::string stale;
  auto with_status = [this](v1::PartnerPage* full) {
    std::vector<v1::Partner*> partners;
    for (v1::Partner& partner : *full->mutable_partners()) {
      partners.push_back(&partner);
    }
    AttachFederationStatus(statuses_, partners);
  };
  absl::Status status = partners_->Get(
      *request,
      [&](const v1::Partner& partner) {
        page_bytes += partner.ByteSizeLong();
        *page.add_partners() = partner;
        if (page_bytes < kPageBytes) return true;
        with_status(&page);
        bool sent = !context->IsCancelled() && writer->Write(page);
        page.Clear();
        page_bytes = 0;
        return sent;
      },
      &stale);
  // The CLI prints it on stderr: the answer came from memory, not the store.
  if (!stale.empty()) context->AddTrailingMetadata(kStaleReadKey, stale);
  if (status.ok() && page.partners_size() > 0) {
    with_status(&page);
    if (!writer->Write(page)) {
      return grpc::Status(grpc::StatusCode::CANCELLED, "the client went away");
    }
  }
  return ToGrpcStatus(status);
}

grpc::Status PartnerApi::ImportPartners(
    grpc::ServerContext* context,
    grpc::ServerReaderWriter<v1::ImportPartnersReply,
                             v1::ImportPartnersRequest>* stream) {
  absl::StatusOr<audit::Actor> actor =
      gate_->Admit(context, "xmppfed.v1.PartnerService.ImportPartners");
  if (!actor.ok()) return ToGrpcStatus(actor.status());
  absl::Status status = importer_->Import(
      [&](v1::ImportPartnersRequest* request) {
        return !context->IsCancelled() && stream->Read(request);
      },
      [&](const v1::ImportPartnersReply& reply) {
        return !context->IsCancelled() && stream->Write(reply);
      },
      *actor);
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
  return RunTargets(
      gate_, "xmppfed.v1.PartnerService.GetPartnerTargets", targets_,
      &service::PartnerTargets::Get, context, stream,
      [this](v1::PartnerTargetsReply* reply) {
        std::vector<v1::Partner*> partners;
        for (v1::TargetResult& result : *reply->mutable_results()) {
          if (result.has_partner()) {
            partners.push_back(result.mutable_partner());
          }
        }
        AttachFederationStatus(statuses_, partners);
      });
}

grpc::Status PartnerApi::RemovePartners(
    grpc::ServerContext* context, const v1::RemovePartnersRequest* request,
    v1::RemovePartnersReply* reply) {
  absl::StatusOr<audit::Actor> actor =
      gate_->Admit(context, "xmppfed.v1.PartnerService.RemovePartners");
  if (!actor.ok()) return ToGrpcStatus(actor.status());
  return Reply(partners_->Remove(*request, *actor), reply);
}

}  // namespace xmppfed::rpc
