// AuditTrail: entries name the node, the caller and the verb; refused and
// denied attempts are appended with their error; identities are capped.
#include "agent/audit/audit_trail.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/unit/service/store_fixture.h"

namespace xmppfed::audit {
namespace {

using ::testing::ElementsAre;

using AuditTrailTest = testing::StoreFixture;

TEST_F(AuditTrailTest, AnEntryNamesNodeCallerVerbAndNow) {
  Actor actor;
  actor.caller.uid = 1001;
  actor.caller.pid = 4242;
  actor.caller.user = "alice";
  actor.caller.role = v1::ROLE_OPERATOR;
  actor.verb = "remove-session";
  absl::Time before = absl::Now();
  v1::AuditEntry entry = trail_->Begin(actor, {"a.com"});
  EXPECT_EQ(entry.node(), "test-node");
  EXPECT_EQ(entry.caller().uid(), 1001u);
  EXPECT_EQ(entry.caller().pid(), 4242u);
  EXPECT_EQ(entry.caller().user(), "alice");
  EXPECT_EQ(entry.caller().role(), v1::ROLE_OPERATOR);
  EXPECT_EQ(entry.verb(), "remove-session");
  EXPECT_THAT(entry.identities(), ElementsAre("a.com"));
  EXPECT_EQ(entry.result(), v1::AUDIT_RESULT_OK);
  absl::Time time = absl::FromUnixSeconds(entry.time().seconds()) +
                    absl::Nanoseconds(entry.time().nanos());
  EXPECT_GE(time, absl::FromUnixMicros(absl::ToUnixMicros(before)));
  EXPECT_LE(time, absl::Now());
  EXPECT_EQ(CallerForLog(entry.caller()),
            "caller=alice uid=1001 pid=4242 role=Operator");
}

TEST_F(AuditTrailTest, RefusedAndDeniedAttemptsAreAppended) {
  trail_->RecordRefused(actor_, {"a.com"},
                        absl::InvalidArgumentError("description=x: bad"));
  trail_->RecordDenied(actor_.caller, "set-partner", "permission denied: no");
  std::vector<v1::AuditEntry> log = AuditLog();
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].result(), v1::AUDIT_RESULT_DENIED);
  EXPECT_EQ(log[0].verb(), "set-partner");
  EXPECT_EQ(log[0].error(), "permission denied: no");
  EXPECT_EQ(log[1].result(), v1::AUDIT_RESULT_REFUSED);
  EXPECT_EQ(log[1].error(), "description=x: bad");
  EXPECT_THAT(log[1].identities(), ElementsAre("a.com"));
}

TEST_F(AuditTrailTest, IdentitiesAreCappedAndTheRestCounted) {
  std::vector<std::string> identities;
  for (size_t i = 0; i < kMaxIdentities + 5; ++i) {
    identities.push_back("p" + std::to_string(i) + ".example");
  }
  v1::AuditEntry entry;
  SetIdentities(identities, &entry);
  EXPECT_EQ(static_cast<size_t>(entry.identities_size()), kMaxIdentities);
  ASSERT_EQ(entry.changes_size(), 1);
  EXPECT_EQ(entry.changes(0).field(), "identitiesNotListed");
  EXPECT_EQ(entry.changes(0).new_value(), "5");
  // Set again with fewer: the count goes away.
  SetIdentities({"a.com"}, &entry);
  EXPECT_EQ(entry.identities_size(), 1);
  EXPECT_EQ(entry.changes_size(), 0);
}

}  // namespace
}  // namespace xmppfed::audit
