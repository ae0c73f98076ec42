// Every method of the API x every role, against the real agent: each call
// comes over a connection made with a real user's credentials, so the
// agent's own check (SO_PEERCRED -> role -> the table of roles) is what is
// tested, without a CLI process per call (roles_test.cc runs the CLI).
//
// The methods come from the proto itself: one with no probe below is still
// called (with an empty request), and must be denied to every role below
// the one its table entry names, to everyone when it has none. A denied
// call must leave the store exactly as it was.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <map>

#include "agent/access/method_roles.h"
#include "tests/integration/roles_fixture.h"
#include "tests/support/caller_channel.h"
#include "xmppfed/v1/xmppfed.grpc.pb.h"

namespace xmppfed::testing {
namespace {

// One call through the generic stub: `request` as the only message, then
// every reply read until the end. Works for unary and streaming methods.
grpc::Status Call(const std::shared_ptr<grpc::Channel>& channel,
                  const google::protobuf::MethodDescriptor& method,
                  const std::string& request) {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue queue;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(20));
  std::string path = "/" + method.service()->full_name() + "/" + method.name();
  std::unique_ptr<grpc::GenericClientAsyncReaderWriter> call =
      stub.PrepareCall(&context, path, &queue);
  void* tag;
  bool ok;
  auto step = [&](int id) {
    return queue.Next(&tag, &ok) && tag == reinterpret_cast<void*>(id) && ok;
  };
  call->StartCall(reinterpret_cast<void*>(1));
  if (step(1)) {
    grpc::Slice slice(request);
    grpc::ByteBuffer buffer(&slice, 1);
    call->Write(buffer, reinterpret_cast<void*>(2));
    if (step(2)) {
      call->WritesDone(reinterpret_cast<void*>(3));
      step(3);
    }
    grpc::ByteBuffer reply;
    do {
      call->Read(&reply, reinterpret_cast<void*>(4));
    } while (step(4));
  }
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  queue.Next(&tag, &ok);
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
  return status;
}

struct Probe {
  std::string request;
  // What an allowed caller gets (the edge is off: session calls and checks
  // are refused by the agent itself, after the role check).
  grpc::StatusCode allowed = grpc::StatusCode::OK;
};

// Requests that change the store when allowed, so a denial that let anything
// through would show; `tag` keeps each role's identities apart.
std::map<std::string, Probe> Probes(const std::string& tag, int index) {
  std::map<std::string, Probe> probes;
  auto put = [&](std::string method, const google::protobuf::Message& request,
                 grpc::StatusCode allowed = grpc::StatusCode::OK) {
    probes["xmppfed.v1." + method] =
        Probe{request.SerializeAsString(), allowed};
  };
  v1::NewPartnerRequest create;
  create.set_identity("new-" + tag + ".example.com");
  put("PartnerService.NewPartner", create);
  v1::SetPartnerRequest set;
  set.set_identity("fixture.example.com");
  set.mutable_fields()->set_description("set by " + tag);
  put("PartnerService.SetPartner", set);
  put("PartnerService.GetPartners", v1::GetPartnersRequest());
  v1::RemovePartnersRequest remove;
  remove.add_identities("victim-" + tag + ".example.com");
  put("PartnerService.RemovePartners", remove);
  v1::ImportPartnersRequest import;
  import.add_records()->set_identity("imported-" + tag + ".example.com");
  import.mutable_records(0)->set_line(1);
  import.set_last(true);
  put("PartnerService.ImportPartners", import);
  put("GatewayService.GetGatewayConfig", v1::GetGatewayConfigRequest());
  v1::SetGatewayConfigRequest gateway;
  gateway.mutable_fields()->set_max_stanza_size(300000 + index);
  put("GatewayService.SetGatewayConfig", gateway);
  put("AgentService.GetAgent", v1::GetAgentRequest());
  put("AuditService.GetAuditLog", v1::GetAuditLogRequest());
  put("SessionService.GetSessions", v1::GetSessionsRequest());
  v1::RemoveSessionsRequest sessions;
  sessions.set_partner("fixture.example.com");
  put("SessionService.RemoveSessions", sessions,
      grpc::StatusCode::FAILED_PRECONDITION);
  v1::TestPartnerRequest check;
  check.set_identity("fixture.example.com");
  put("PartnerCheckService.TestPartner", check,
      grpc::StatusCode::FAILED_PRECONDITION);
  return probes;
}

class RoleMatrixTest : public RolesTest {
 protected:
  // A client still connected holds the agent's shutdown for its grace
  // period: the channel goes first.
  void TearDown() override {
    root_.reset();
    RolesTest::TearDown();
  }

  std::shared_ptr<grpc::Channel> root_;
  // Calls the agent denied.
  int denied_ = 0;

  // Everything a call could change, as root reads it over one channel.
  std::string Snapshot() {
    if (root_ == nullptr) {
      root_ = grpc::CreateChannel("unix:" + agent_->socket_path(),
                                  grpc::InsecureChannelCredentials());
    }
    std::string state;
    grpc::ClientContext list;
    std::unique_ptr<grpc::ClientReader<v1::PartnerPage>> reader =
        v1::PartnerService::NewStub(root_)->GetPartners(
            &list, v1::GetPartnersRequest());
    v1::PartnerPage page;
    while (reader->Read(&page)) state += page.SerializeAsString();
    EXPECT_TRUE(reader->Finish().ok());
    grpc::ClientContext get;
    v1::GatewayConfig gateway;
    EXPECT_TRUE(
        v1::GatewayService::NewStub(root_)
            ->GetGatewayConfig(&get, v1::GetGatewayConfigRequest(), &gateway)
            .ok());
    return state + gateway.SerializeAsString();
  }

  // Calls every method of the proto as `user`, whose role is `role`.
  void CheckEveryMethod(const std::string& user, v1::Role role,
                        const std::string& tag, int index) {
    std::shared_ptr<grpc::Channel> channel =
        ChannelAs(user, agent_->socket_path());
    ASSERT_NE(channel, nullptr) << user;
    std::map<std::string, Probe> probes = Probes(tag, index);
    const google::protobuf::FileDescriptor* file =
        v1::Partner::descriptor()->file();
    for (int s = 0; s < file->service_count(); ++s) {
      const google::protobuf::ServiceDescriptor* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        const google::protobuf::MethodDescriptor& method = *service->method(m);
        const access::MethodRole* entry =
            access::FindMethodRole(method.full_name());
        bool allowed = entry != nullptr && role >= entry->role;
        auto probe = probes.find(method.full_name());
        std::string before = allowed ? "" : Snapshot();
        grpc::Status status =
            Call(channel, method,
                 probe == probes.end() ? std::string() : probe->second.request);
        std::string where = method.full_name() + " as " + tag;
        if (!allowed) {
          ++denied_;
          EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
              << where << ": " << status.error_message();
          EXPECT_TRUE(Snapshot() == before) << where << " changed the store";
        } else if (probe != probes.end()) {
          EXPECT_EQ(status.error_code(), probe->second.allowed)
              << where << ": " << status.error_message();
        } else {
          EXPECT_NE(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
              << where << ": " << status.error_message();
        }
      }
    }
  }
};

TEST_F(RoleMatrixTest, EveryMethodForEveryRole) {
  NewPartner("fixture.example.com");
  struct Row {
    const Account* user;
    v1::Role role;
    const char* tag;
  };
  // Administrator last: the victims of the others' refused removals are
  // still there for it to remove.
  const Row rows[] = {{&NoRole(), v1::ROLE_NONE, "none"},
                      {&Viewer(), v1::ROLE_VIEWER, "viewer"},
                      {&Operator(), v1::ROLE_OPERATOR, "operator"},
                      {&Admin(), v1::ROLE_ADMINISTRATOR, "admin"}};
  for (const Row& row : rows) {
    NewPartner(std::string("victim-") + row.tag + ".example.com");
  }
  int index = 0;
  for (const Row& row : rows) {
    CheckEveryMethod(row.user->name, row.role, row.tag, index++);
  }
  // What the Administrator was allowed, it did.
  EXPECT_EQ(Str(GetPartner("new-admin.example.com"), "identity"),
            "new-admin.example.com");
  EXPECT_EQ(Str(GetPartner("imported-admin.example.com"), "identity"),
            "imported-admin.example.com");
  EXPECT_TRUE(PartnerMissing("victim-admin.example.com"));
  EXPECT_EQ(Str(GetPartner("fixture.example.com"), "description"),
            "set by admin");
  EXPECT_EQ(Num(CliJson({"get-gateway-config"}), "maxStanzaSize"), 300003);
  // Every denial is in the audit log.
  EXPECT_EQ(Elements(CliJson({"get-audit-log", "--result", "denied"})).size(),
            static_cast<size_t>(denied_));
  EXPECT_GT(denied_, 0);
}

}  // namespace
}  // namespace xmppfed::testing
