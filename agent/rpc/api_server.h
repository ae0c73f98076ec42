// The gRPC server of the management API on a Unix socket. The agent accepts
// the connections itself (ApiListener), identifies each caller from the
// kernel (agent/access) and records it in a ConnectionTable before handing
// the connection to gRPC, where CallGate finds it again for every call.
#ifndef XMPPFED_AGENT_RPC_API_SERVER_H_
#define XMPPFED_AGENT_RPC_API_SERVER_H_

#include <grpcpp/server.h>
#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agent/access/role_grants.h"
#include "agent/rpc/api_listener.h"
#include "agent/rpc/connection_table.h"

namespace xmppfed::rpc {

struct ApiServerOptions {
  std::string socket_path;
  // Who has which role; `agent_uid` (the agent's own user) and root are
  // always Administrator.
  access::RoleGrants grants;
  uid_t agent_uid = 0;
  // Open connections one user may hold at once (root and the agent's own
  // user are not limited): one user cannot take every descriptor the API
  // has. A CLI run uses one.
  size_t connections_per_user = 64;
  ApiListener::Options listener;
};

class ApiServer {
 public:
  // Serves `services` (which must outlive the server) on the socket, whose
  // file is made mode 0660: only the agent's user and group may connect.
  // Every connection is recorded in `connections` (which must outlive the
  // server). The caller has made sure no other agent uses the path.
  static absl::StatusOr<std::unique_ptr<ApiServer>> Start(
      ApiServerOptions options, const std::vector<grpc::Service*>& services,
      ConnectionTable* connections);

  // Stops accepting, refuses new calls, lets calls in flight finish for up
  // to `grace`, then cancels the rest.
  void Shutdown(absl::Duration grace);

 private:
  ApiServer(ApiServerOptions options, ConnectionTable* connections,
            std::unique_ptr<grpc::Server> server);
  // ApiListener::Admit: identifies the caller, applies the limits, records
  // the connection and hands it to gRPC.
  bool Admit(int fd, bool scarce);

  const ApiServerOptions options_;
  ConnectionTable* const connections_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<ApiListener> listener_;
  // Users whose connections are being refused for the per-user limit, so
  // that each episode is logged once.
  absl::flat_hash_set<uid_t> over_limit_;
};

}  // namespace xmppfed::rpc

#endif  // XMPPFED_AGENT_RPC_API_SERVER_H_
