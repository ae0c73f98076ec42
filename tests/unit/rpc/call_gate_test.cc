// CallGate: the role table applied to a call's caller, and the text of a
// denial (verb, caller, its role, the role needed, who has it).
#include "agent/rpc/call_gate.h"

#include <gtest/gtest.h>

namespace xmppfed::rpc {
namespace {

class FixedCaller final : public CallerLookup {
 public:
  explicit FixedCaller(std::optional<access::Caller> caller)
      : caller_(std::move(caller)) {}
  std::optional<access::Caller> CallerOf(grpc::ServerContext&) const override {
    return caller_;
  }

 private:
  std::optional<access::Caller> caller_;
};

access::Caller Alice(v1::Role role, std::string granted_by = "") {
  access::Caller caller;
  caller.uid = 1001;
  caller.pid = 77;
  caller.user = "alice";
  caller.role = role;
  caller.granted_by = std::move(granted_by);
  return caller;
}

access::RoleGrants Grants() {
  return *access::RoleGrants::Parse("xmppfed-admin", "xmppfed-operator",
                                    "xmppfed");
}

constexpr char kNewPartner[] = "xmppfed.v1.PartnerService.NewPartner";
constexpr char kGetPartners[] = "xmppfed.v1.PartnerService.GetPartners";

TEST(CallGateTest, ARoleAtOrAboveTheNeededOneIsAdmitted) {
  access::RoleGrants grants = Grants();
  FixedCaller viewer(Alice(v1::ROLE_VIEWER));
  FixedCaller admin(Alice(v1::ROLE_ADMINISTRATOR));
  grpc::ServerContext context;
  absl::StatusOr<access::Caller> caller =
      CallGate(&viewer, &grants).Admit(&context, kGetPartners);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->user, "alice");
  EXPECT_TRUE(CallGate(&admin, &grants).Admit(&context, kGetPartners).ok());
  EXPECT_TRUE(CallGate(&admin, &grants).Admit(&context, kNewPartner).ok());
}

TEST(CallGateTest, ALowerRoleIsDeniedWithEverythingTheCallerNeedsToKnow) {
  access::RoleGrants grants = Grants();
  FixedCaller viewer(Alice(v1::ROLE_VIEWER, "group xmppfed"));
  grpc::ServerContext context;
  absl::StatusOr<access::Caller> caller =
      CallGate(&viewer, &grants).Admit(&context, kNewPartner);
  ASSERT_EQ(caller.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(caller.status().message(),
            "permission denied: user alice (uid 1001) has the role Viewer "
            "(group xmppfed); new-partner needs the role Administrator, held "
            "through group xmppfed-admin");
}

TEST(CallGateTest, ACallerWithoutRoleIsDeniedEvenReading) {
  access::RoleGrants grants = Grants();
  FixedCaller nobody(Alice(v1::ROLE_NONE));
  grpc::ServerContext context;
  absl::StatusOr<access::Caller> caller =
      CallGate(&nobody, &grants).Admit(&context, kGetPartners);
  ASSERT_EQ(caller.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(caller.status().message(),
            "permission denied: user alice (uid 1001) has no role; "
            "get-partner needs the role Viewer, held through group xmppfed, "
            "group xmppfed-operator or group xmppfed-admin");
}

TEST(CallGateTest, ARoleNoOneIsGrantedSaysOnlyRootHasIt) {
  access::RoleGrants none;
  FixedCaller viewer(Alice(v1::ROLE_VIEWER, "group x"));
  grpc::ServerContext context;
  absl::StatusOr<access::Caller> caller =
      CallGate(&viewer, &none).Admit(&context, kNewPartner);
  ASSERT_FALSE(caller.ok());
  EXPECT_NE(caller.status().message().find(
                "which only root and the agent's own user have"),
            std::string::npos)
      << caller.status();
}

TEST(CallGateTest, AMethodMissingFromTheTableIsDeniedToAdministrators) {
  access::RoleGrants grants = Grants();
  FixedCaller admin(Alice(v1::ROLE_ADMINISTRATOR, "root"));
  grpc::ServerContext context;
  absl::StatusOr<access::Caller> caller =
      CallGate(&admin, &grants)
          .Admit(&context, "xmppfed.v1.PartnerService.Unlisted");
  EXPECT_EQ(caller.status().code(), absl::StatusCode::kPermissionDenied);
}

TEST(CallGateTest, ACallFromAnUnknownConnectionIsDenied) {
  access::RoleGrants grants = Grants();
  FixedCaller unknown(std::nullopt);
  grpc::ServerContext context;
  absl::StatusOr<access::Caller> caller =
      CallGate(&unknown, &grants).Admit(&context, kGetPartners);
  EXPECT_EQ(caller.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(caller.status().message(),
            "permission denied: the agent cannot tell who is calling");
}

}  // namespace
}  // namespace xmppfed::rpc
