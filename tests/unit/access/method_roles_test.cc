// The table of roles covers the whole API: every method of every service in
// the proto has exactly one entry, and every entry names a method that
// exists. Fails as soon as an RPC is added without its entry.
#include "agent/access/method_roles.h"

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

namespace xmppfed::access {
namespace {

const google::protobuf::FileDescriptor* ApiFile() {
  return v1::Partner::descriptor()->file();
}

TEST(MethodRolesTest, EveryMethodOfTheProtoHasAnEntry) {
  const google::protobuf::FileDescriptor* file = ApiFile();
  ASSERT_GT(file->service_count(), 0);
  for (int s = 0; s < file->service_count(); ++s) {
    const google::protobuf::ServiceDescriptor* service = file->service(s);
    for (int m = 0; m < service->method_count(); ++m) {
      const std::string& name = service->method(m)->full_name();
      EXPECT_NE(FindMethodRole(name), nullptr)
          << name << " has no entry in kMethodRoles (method_roles.cc)";
    }
  }
}

TEST(MethodRolesTest, EveryEntryIsAMethodOfTheProtoAndIsListedOnce) {
  std::set<std::string_view> seen;
  for (const MethodRole& entry : MethodRoles()) {
    EXPECT_TRUE(seen.insert(entry.method).second) << entry.method;
    EXPECT_NE(
        google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
            std::string(entry.method)),
        nullptr)
        << entry.method << " is not a method of the proto";
    EXPECT_NE(entry.role, v1::ROLE_NONE) << entry.method;
    EXPECT_FALSE(entry.verb.empty()) << entry.method;
  }
}

TEST(MethodRolesTest, AMethodWithoutAnEntryIsNotFound) {
  EXPECT_EQ(FindMethodRole("xmppfed.v1.PartnerService.Nothing"), nullptr);
  EXPECT_EQ(FindMethodRole(""), nullptr);
}

// SPEC §7: Viewer the read verbs, Operator also remove-session and
// test-partner, Administrator everything else.
TEST(MethodRolesTest, TheRolesOfTheSpec) {
  auto role = [](std::string_view method) {
    const MethodRole* entry = FindMethodRole(method);
    return entry == nullptr ? v1::ROLE_NONE : entry->role;
  };
  EXPECT_EQ(role("xmppfed.v1.PartnerService.GetPartners"), v1::ROLE_VIEWER);
  EXPECT_EQ(role("xmppfed.v1.GatewayService.GetGatewayConfig"),
            v1::ROLE_VIEWER);
  EXPECT_EQ(role("xmppfed.v1.AgentService.GetAgent"), v1::ROLE_VIEWER);
  EXPECT_EQ(role("xmppfed.v1.SessionService.GetSessions"), v1::ROLE_VIEWER);
  EXPECT_EQ(role("xmppfed.v1.SessionService.RemoveSessions"),
            v1::ROLE_OPERATOR);
  EXPECT_EQ(role("xmppfed.v1.PartnerCheckService.TestPartner"),
            v1::ROLE_OPERATOR);
  for (std::string_view write :
       {"xmppfed.v1.PartnerService.NewPartner",
        "xmppfed.v1.PartnerService.SetPartner",
        "xmppfed.v1.PartnerService.RemovePartners",
        "xmppfed.v1.PartnerService.ImportPartners",
        "xmppfed.v1.GatewayService.SetGatewayConfig"}) {
    EXPECT_EQ(role(write), v1::ROLE_ADMINISTRATOR) << write;
  }
}

}  // namespace
}  // namespace xmppfed::access
