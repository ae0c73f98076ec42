#include "agent/rpc/agent_api.h"

#include <unistd.h>

#include "agent/rpc/status_conversion.h"

namespace xmppfed::rpc {

grpc::Status AgentApi::GetAgent(grpc::ServerContext* context,
                                const v1::GetAgentRequest*,
                                v1::AgentInfo* reply) {
  absl::StatusOr<access::Caller> caller =
      gate_->Admit(context, "xmppfed.v1.AgentService.GetAgent");
  if (!caller.ok()) return ToGrpcStatus(caller.status());
  absl::StatusOr<uint64_t> count = store_->CountPartners();
  if (!count.ok()) return ToGrpcStatus(count.status());
  reply->set_version(facts_.version);
  absl::Duration since_epoch = facts_.started_at - absl::UnixEpoch();
  int64_t seconds =
      absl::IDivDuration(since_epoch, absl::Seconds(1), &since_epoch);
  reply->mutable_started_at()->set_seconds(seconds);
  reply->mutable_started_at()->set_nanos(
      static_cast<int32_t>(absl::ToInt64Nanoseconds(since_epoch)));
  reply->set_uptime_seconds(static_cast<uint64_t>(
      absl::ToInt64Seconds(absl::Now() - facts_.started_at)));
  reply->set_store(store_->uri());
  for (const std::string& domain : facts_.local_domains) {
    reply->add_local_domains(domain);
  }
  for (const v1::Listener& listener : facts_.listeners) {
    *reply->add_listeners() = listener;
  }
  reply->set_pid(static_cast<uint32_t>(::getpid()));
  reply->set_partner_count(*count);
  reply->set_caller_role(caller->role);
  return grpc::Status::OK;
}

}  // namespace xmppfed::rpc
