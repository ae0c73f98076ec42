#include "agent/rpc/api_server.h"

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace xmppfed::rpc {

absl::StatusOr<std::unique_ptr<ApiServer>> ApiServer::Start(
    const std::string& socket_path,
    const std::vector<grpc::Service*>& services) {
  grpc::ServerBuilder builder;
  builder.AddListeningPort("unix:" + socket_path,
                           grpc::InsecureServerCredentials());
  for (grpc::Service* service : services) builder.RegisterService(service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on socket ", socket_path,
                     " (check that its directory exists and is writable)"));
  }
  if (::chmod(socket_path.c_str(), 0660) != 0) {
    server->Shutdown();
    return absl::UnavailableError(absl::StrCat("cannot set the mode of socket ",
                                               socket_path, ": ",
                                               std::strerror(errno)));
  }
  return std::unique_ptr<ApiServer>(new ApiServer(std::move(server)));
}

void ApiServer::Shutdown(absl::Duration grace) {
  server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  server_->Wait();
}

}  // namespace xmppfed::rpc
