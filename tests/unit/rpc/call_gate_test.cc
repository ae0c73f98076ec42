// CallGate: the role table applied to a call's caller, the text of a
// denial (verb, caller, its role, the role needed, who has it), and the
// denial's entry in the audit log (a real store).
#include "agent/rpc/call_gate.h"

#include <gtest/gtest.h>

#include "tests/unit/service/store_fixture.h"

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

class CallGateTest : public testing::StoreFixture {
 protected:
  CallGate Gate(const CallerLookup* callers, const access::RoleGrants* grants) {
    return CallGate(callers, grants, trail_.get());
  }
};

constexpr char kNewPartner[] = "xmppfed.v1.PartnerService.NewPartner";
constexpr char kGetPartners[] = "xmppfed.v1.PartnerService.GetPartners";

TEST_F(CallGateTest, ARoleAtOrAboveTheNeededOneIsAdmitted) {
  access::RoleGrants grants = Grants();
  FixedCaller viewer(Alice(v1::ROLE_VIEWER));
  FixedCaller admin(Alice(v1::ROLE_ADMINISTRATOR));
  grpc::ServerContext context;
  absl::StatusOr<audit::Actor> caller =
      Gate(&viewer, &grants).Admit(&context, kGetPartners);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->caller.user, "alice");
  EXPECT_EQ(caller->verb, "get-partner");
  EXPECT_TRUE(Gate(&admin, &grants).Admit(&context, kGetPartners).ok());
  EXPECT_TRUE(Gate(&admin, &grants).Admit(&context, kNewPartner).ok());
  EXPECT_TRUE(AuditLog().empty()) << "an admitted call is no audit entry";
}

TEST_F(CallGateTest, ALowerRoleIsDeniedWithEverythingTheCallerNeedsToKnow) {
  access::RoleGrants grants = Grants();
  FixedCaller viewer(Alice(v1::ROLE_VIEWER, "group xmppfed"));
  grpc::ServerContext context;
  absl::StatusOr<audit::Actor> caller =
      Gate(&viewer, &grants).Admit(&context, kNewPartner);
  ASSERT_EQ(caller.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(caller.status().message(),
            "permission denied: user alice (uid 1001) has the role Viewer "
            "(group xmppfed); new-partner needs the role Administrator, held "
            "through group xmppfed-admin");
  // ... and the denial is in the audit log, field by field.
  std::vector<v1::AuditEntry> log = AuditLog();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].node(), "test-node");
  EXPECT_EQ(log[0].caller().uid(), 1001u);
  EXPECT_EQ(log[0].caller().user(), "alice");
  EXPECT_EQ(log[0].caller().pid(), 77u);
  EXPECT_EQ(log[0].caller().role(), v1::ROLE_VIEWER);
  EXPECT_EQ(log[0].verb(), "new-partner");
  EXPECT_EQ(log[0].result(), v1::AUDIT_RESULT_DENIED);
  EXPECT_EQ(log[0].error(), caller.status().message());
  EXPECT_EQ(log[0].changes_size(), 0);
}

TEST_F(CallGateTest, ACallerWithoutRoleIsDeniedEvenReading) {
  access::RoleGrants grants = Grants();
  FixedCaller nobody(Alice(v1::ROLE_NONE));
  grpc::ServerContext context;
  absl::StatusOr<audit::Actor> caller =
      Gate(&nobody, &grants).Admit(&context, kGetPartners);
  ASSERT_EQ(caller.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(caller.status().message(),
            "permission denied: user alice (uid 1001) has no role; "
            "get-partner needs the role Viewer, held through group xmppfed, "
            "group xmppfed-operator or group xmppfed-admin");
}

TEST_F(CallGateTest, ARoleNoOneIsGrantedSaysOnlyRootHasIt) {
  access::RoleGrants none;
  FixedCaller viewer(Alice(v1::ROLE_VIEWER, "group x"));
  grpc::ServerContext context;
  absl::StatusOr<audit::Actor> caller =
      Gate(&viewer, &none).Admit(&context, kNewPartner);
  ASSERT_FALSE(caller.ok());
  EXPECT_NE(caller.status().message().find(
                "which only root and the agent's own user have"),
            std::string::npos)
      << caller.status();
}

TEST_F(CallGateTest, AMethodMissingFromTheTableIsDeniedToAdministrators) {
  access::RoleGrants grants = Grants();
  FixedCaller admin(Alice(v1::ROLE_ADMINISTRATOR, "root"));
  grpc::ServerContext context;
  absl::StatusOr<audit::Actor> caller =
      Gate(&admin, &grants)
          .Admit(&context, "xmppfed.v1.PartnerService.Unlisted");
  EXPECT_EQ(caller.status().code(), absl::StatusCode::kPermissionDenied);
}

TEST_F(CallGateTest, ACallFromAnUnknownConnectionIsDenied) {
  access::RoleGrants grants = Grants();
  FixedCaller unknown(std::nullopt);
  grpc::ServerContext context;
  absl::StatusOr<audit::Actor> caller =
      Gate(&unknown, &grants).Admit(&context, kGetPartners);
  EXPECT_EQ(caller.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(caller.status().message(),
            "permission denied: the agent cannot tell who is calling");
}

}  // namespace
}  // namespace xmppfed::rpc
