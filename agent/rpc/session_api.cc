#include "agent/rpc/session_api.h"

#include <algorithm>
#include <optional>
#include <set>
#include <unordered_map>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "agent/errors/field_error.h"
#include "agent/policy/domain.h"
#include "agent/rpc/status_conversion.h"
#include "agent/service/partner_checks.h"

namespace xmppfed::rpc {
namespace {

constexpr char kEdgeOff[] = "the federation edge is off (--s2s-listen off)";

void SortById(std::vector<v1::Session>& sessions) {
  std::sort(sessions.begin(), sessions.end(),
            [](const v1::Session& a, const v1::Session& b) {
              return a.id() < b.id();
            });
}

void Fill(std::vector<v1::Session> sessions,
          google::protobuf::RepeatedPtrField<v1::Session>* out) {
  SortById(sessions);
  out->Reserve(static_cast<int>(sessions.size()));
  for (v1::Session& session : sessions) *out->Add() = std::move(session);
}

// "" stays "" (no filter); anything else must be a domain.
absl::StatusOr<std::string> NormalizePartner(const std::string& input) {
  if (input.empty()) return std::string();
  return policy::NormalizeDomain("partner", input);
}

// NOT_FOUND unless `identity` is a partner's identity; an additional domain
// is named as such, so the operator knows which identity to give.
absl::Status CheckPartnerExists(store::Store& store,
                                const std::string& identity) {
  absl::StatusOr<std::optional<v1::Partner>> partner =
      store.GetPartner(identity);
  if (!partner.ok()) return partner.status();
  if (partner->has_value()) return absl::OkStatus();
  std::string rule = "no partner has this identity";
  absl::StatusOr<std::optional<service::CoveringOwner>> owner =
      service::FindCoveringOwner(identity, [&store](std::string_view key) {
        return store.FindDomainOwner(key);
      });
  if (!owner.ok()) return owner.status();
  if (owner->has_value() && (*owner)->matched == identity) {
    absl::StrAppend(&rule, "; it is an additional domain of partner ",
                    (*owner)->identity);
  } else if (owner->has_value()) {
    absl::StrAppend(&rule, "; it is covered by additional domain ",
                    (*owner)->matched, " of partner ", (*owner)->identity);
  }
  return errors::FieldError(absl::StatusCode::kNotFound, "partner", identity,
                            rule,
                            absl::StrCat("partner=", identity, ": ", rule));
}

absl::Status UnknownId(uint64_t id) {
  std::string value = absl::StrCat(id);
  constexpr char kRule[] = "no live session has this id";
  return errors::FieldError(absl::StatusCode::kNotFound, "id", value, kRule,
                            absl::StrCat("id=", value, ": ", kRule));
}

}  // namespace

grpc::Status SessionApi::GetSessions(grpc::ServerContext* context,
                                     const v1::GetSessionsRequest* request,
                                     v1::GetSessionsReply* reply) {
  absl::StatusOr<audit::Actor> actor =
      gate_->Admit(context, "xmppfed.v1.SessionService.GetSessions");
  if (!actor.ok()) return ToGrpcStatus(actor.status());
  absl::StatusOr<std::string> partner = NormalizePartner(request->partner());
  if (!partner.ok()) return ToGrpcStatus(partner.status());
  if (sessions_ == nullptr) return grpc::Status::OK;  // no edge, no streams
  Fill(sessions_->List(*partner), reply->mutable_sessions());
  return grpc::Status::OK;
}

grpc::Status SessionApi::RemoveSessions(
    grpc::ServerContext* context, const v1::RemoveSessionsRequest* request,
    v1::RemoveSessionsReply* reply) {
  absl::StatusOr<audit::Actor> actor =
      gate_->Admit(context, "xmppfed.v1.SessionService.RemoveSessions");
  if (!actor.ok()) return ToGrpcStatus(actor.status());
  if (request->ids().empty() && request->partner().empty()) {
    return ToGrpcStatus(errors::InvalidField(
        "ids", "", "give the ids of the sessions to close, or a partner"));
  }
  if (!request->ids().empty() && !request->partner().empty()) {
    return ToGrpcStatus(errors::InvalidField(
        "partner", request->partner(),
        "give the ids of the sessions to close or a partner, not both"));
  }
  absl::StatusOr<std::string> partner = NormalizePartner(request->partner());
  if (!partner.ok()) return ToGrpcStatus(partner.status());
  // What the store can answer comes first, so a mistyped partner reads the
  // same whether the edge runs or not.
  if (!partner->empty()) {
    if (absl::Status exists = CheckPartnerExists(*store_, *partner);
        !exists.ok()) {
      return ToGrpcStatus(exists);
    }
  }
  if (sessions_ == nullptr) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, kEdgeOff);
  }

  if (!partner->empty()) {
    if (request->what_if()) {
      Fill(sessions_->List(*partner), reply->mutable_removed());
    } else {
      Fill(sessions_->Close({}, *partner), reply->mutable_removed());
    }
    return grpc::Status::OK;
  }

  // Every id must be live before anything is closed.
  std::unordered_map<uint64_t, v1::Session> live;
  for (v1::Session& session : sessions_->List("")) {
    uint64_t id = session.id();
    live.emplace(id, std::move(session));
  }
  std::set<uint64_t> ids;
  for (uint64_t id : request->ids()) {
    if (!live.contains(id)) return ToGrpcStatus(UnknownId(id));
    ids.insert(id);
  }
  if (request->what_if()) {
    std::vector<v1::Session> chosen;
    for (uint64_t id : ids) chosen.push_back(live.at(id));
    Fill(std::move(chosen), reply->mutable_removed());
    return grpc::Status::OK;
  }
  Fill(sessions_->Close(std::vector<uint64_t>(ids.begin(), ids.end()), ""),
       reply->mutable_removed());
  return grpc::Status::OK;
}

grpc::Status SessionApi::GetPartnerStatus(
    grpc::ServerContext* context, const v1::GetPartnerStatusRequest* request,
    v1::GetPartnerStatusReply* reply) {
  absl::StatusOr<audit::Actor> actor =
      gate_->Admit(context, "xmppfed.v1.SessionService.GetPartnerStatus");
  if (!actor.ok()) return ToGrpcStatus(actor.status());
  absl::StatusOr<std::string> partner = NormalizePartner(request->partner());
  if (!partner.ok()) return ToGrpcStatus(partner.status());
  if (!partner->empty()) {
    if (absl::Status exists = CheckPartnerExists(*store_, *partner);
        !exists.ok()) {
      return ToGrpcStatus(exists);
    }
  }
  if (sessions_ != nullptr) {
    for (v1::PartnerFederationStatus& status : sessions_->FederationStatus()) {
      if (!partner->empty() && status.partner() != *partner) continue;
      *reply->add_statuses() = std::move(status);
    }
    // The edge's snapshot may lag the store by a moment: a partner just
    // created is listed with nothing seen.
    if (!partner->empty() && reply->statuses().empty()) {
      reply->add_statuses()->set_partner(*partner);
    }
    return grpc::Status::OK;
  }
  if (!partner->empty()) {
    reply->add_statuses()->set_partner(*partner);
    return grpc::Status::OK;
  }
  absl::Status listed =
      store_->ForEachPartner("", [reply](const v1::Partner& each) {
        reply->add_statuses()->set_partner(each.identity());
        return true;
      });
  return ToGrpcStatus(listed);
}

}  // namespace xmppfed::rpc
