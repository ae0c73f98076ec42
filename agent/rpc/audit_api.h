// xmppfed.v1.AuditService: `xmppfed get-audit-log`, the audit log newest
// first, streamed in pages.
#ifndef XMPPFED_AGENT_RPC_AUDIT_API_H_
#define XMPPFED_AGENT_RPC_AUDIT_API_H_

#include "agent/rpc/call_gate.h"
#include "agent/store/store.h"
#include "xmppfed/v1/xmppfed.grpc.pb.h"

namespace xmppfed::rpc {

class AuditApi final : public v1::AuditService::Service {
 public:
  AuditApi(store::Store* store, const CallGate* gate)
      : store_(store), gate_(gate) {}

  // The filters of GetAuditLogRequest; `identity` is normalised like a
  // domain when it is one (entries of refused attempts may name anything,
  // so anything else is looked for as given). INVALID_ARGUMENT (field
  // "since") when since is after until.
  grpc::Status GetAuditLog(grpc::ServerContext* context,
                           const v1::GetAuditLogRequest* request,
                           grpc::ServerWriter<v1::AuditPage>* writer) override;

 private:
  store::Store* store_;
  const CallGate* gate_;
};

}  // namespace xmppfed::rpc

#endif  // XMPPFED_AGENT_RPC_AUDIT_API_H_
