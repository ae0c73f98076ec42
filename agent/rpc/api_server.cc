#include "agent/rpc/api_server.h"

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>
#include <grpcpp/server_posix.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "agent/access/peer_identity.h"
#include "agent/runtime/log.h"
#include "xmppfed/v1/spelling.h"

namespace xmppfed::rpc {
namespace {

// A connection without calls for this long is closed (the client reconnects
// when it needs to): forgotten connections do not hold descriptors forever.
constexpr int kMaxConnectionIdleMs = 5 * 60 * 1000;

}  // namespace

absl::StatusOr<std::unique_ptr<ApiServer>> ApiServer::Start(
    ApiServerOptions options, const std::vector<grpc::Service*>& services,
    ConnectionTable* connections) {
  grpc::ServerBuilder builder;
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS,
                             kMaxConnectionIdleMs);
  for (grpc::Service* service : services) builder.RegisterService(service);
  // No listening port: connections arrive from the ApiListener.
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr) {
    return absl::InternalError("cannot start the gRPC server");
  }
  std::unique_ptr<ApiServer> api(
      new ApiServer(std::move(options), connections, std::move(server)));
  absl::StatusOr<std::unique_ptr<ApiListener>> listener = ApiListener::Start(
      api->options_.socket_path,
      [raw = api.get()](int fd, bool scarce) { return raw->Admit(fd, scarce); },
      api->options_.listener);
  if (!listener.ok()) {
    api->server_->Shutdown();
    return listener.status();
  }
  api->listener_ = *std::move(listener);
  return api;
}

ApiServer::ApiServer(ApiServerOptions options, ConnectionTable* connections,
                     std::unique_ptr<grpc::Server> server)
    : options_(std::move(options)),
      connections_(connections),
      server_(std::move(server)) {}

bool ApiServer::Admit(int fd, bool scarce) {
  absl::StatusOr<access::PeerFacts> facts = access::ReadPeerFacts(fd);
  if (!facts.ok()) {
    runtime::LogError(
        "api.connection.refused",
        absl::StrCat("reason=\"", facts.status().message(), "\""));
    return false;
  }
  access::Caller caller =
      access::ResolveCaller(*facts, options_.grants, options_.agent_uid);
  // The last descriptors are kept for those who can repair things.
  if (scarce && caller.role != v1::ROLE_ADMINISTRATOR) return false;
  bool limited = caller.uid != 0 && caller.uid != options_.agent_uid;
  if (limited && connections_->OpenConnections(caller.uid) >=
                     options_.connections_per_user) {
    if (over_limit_.insert(caller.uid).second) {
      runtime::LogWarning(
          "api.connection.refused",
          absl::StrCat("user=", caller.user, " uid=", caller.uid,
                       " reason=\"the user holds ",
                       options_.connections_per_user,
                       " connections, the most one user may\""));
    }
    return false;
  }
  over_limit_.erase(caller.uid);
  connections_->Add(fd, std::move(caller));
  grpc::AddInsecureChannelFromFd(server_.get(), fd);
  return true;
}

void ApiServer::Shutdown(absl::Duration grace) {
  if (listener_) listener_->Stop();
  server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
  server_->Wait();
}

}  // namespace xmppfed::rpc
