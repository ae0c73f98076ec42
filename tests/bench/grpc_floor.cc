// grpc_floor: the cheapest possible management call, as a baseline for the
// CLI's whole-process latency. It makes ONE unary call
// (AgentService/GetAgent) over the agent's Unix socket, prints the reply and
// exits, and does nothing else: no option library, no JSON, no exec. Built
// twice (tests/bench/CMakeLists.txt): grpc_floor links gRPC's shared
// libraries, the floor as the issue defines it; grpc_floor_static links
// gRPC, protobuf and abseil statically exactly like xmppfed-rpc, the floor
// of the CLI as built.
//
//   grpc_floor --socket PATH [--timeout-ms N]
//
// Exit status: 0 on success, 69 when the agent cannot be reached, 1 on any
// other error status.
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "xmppfed/v1/xmppfed.grpc.pb.h"

int main(int argc, char** argv) {
  std::string socket_path;
  long timeout_ms = 5000;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--socket") == 0 && i + 1 < argc) {
      socket_path = argv[++i];
    } else if (std::strcmp(argv[i], "--timeout-ms") == 0 && i + 1 < argc) {
      timeout_ms = std::strtol(argv[++i], nullptr, 10);
    } else {
      std::fprintf(stderr,
                   "usage: grpc_floor --socket PATH [--timeout-ms N]\n");
      return 2;
    }
  }
  if (socket_path.empty()) {
    std::fprintf(stderr, "grpc_floor: --socket is required\n");
    return 2;
  }

  std::shared_ptr<grpc::Channel> channel = grpc::CreateChannel(
      "unix:" + socket_path, grpc::InsecureChannelCredentials());
  std::unique_ptr<xmppfed::v1::AgentService::Stub> stub =
      xmppfed::v1::AgentService::NewStub(channel);

  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(timeout_ms));
  xmppfed::v1::GetAgentRequest request;
  xmppfed::v1::AgentInfo reply;
  grpc::Status status = stub->GetAgent(&context, request, &reply);
  if (!status.ok()) {
    std::fprintf(stderr, "grpc_floor: GetAgent: %s (code %d)\n",
                 status.error_message().c_str(),
                 static_cast<int>(status.error_code()));
    return status.error_code() == grpc::StatusCode::UNAVAILABLE ||
                   status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED
               ? 69
               : 1;
  }
  std::printf(
      "{\"version\": \"%s\", \"pid\": %u, \"uptimeSeconds\": %llu, "
      "\"partnerCount\": %llu, \"store\": \"%s\"}\n",
      reply.version().c_str(), reply.pid(),
      static_cast<unsigned long long>(reply.uptime_seconds()),
      static_cast<unsigned long long>(reply.partner_count()),
      reply.store().c_str());
  return 0;
}
