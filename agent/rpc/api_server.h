// The gRPC server of the management API on a Unix socket.
#ifndef XMPPFED_AGENT_RPC_API_SERVER_H_
#define XMPPFED_AGENT_RPC_API_SERVER_H_

#include <grpcpp/server.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace xmppfed::rpc {

class ApiServer {
 public:
  // Serves `services` (which must outlive the server) on `socket_path`,
  // whose file is made mode 0660: only the agent's user and group manage it.
  // The caller has made sure no other agent uses the path.
  static absl::StatusOr<std::unique_ptr<ApiServer>> Start(
      const std::string& socket_path,
      const std::vector<grpc::Service*>& services);

  // Refuses new calls, lets calls in flight finish for up to `grace`, then
  // cancels the rest.
  void Shutdown(absl::Duration grace);

 private:
  explicit ApiServer(std::unique_ptr<grpc::Server> server)
      : server_(std::move(server)) {}
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace xmppfed::rpc

#endif  // XMPPFED_AGENT_RPC_API_SERVER_H_
