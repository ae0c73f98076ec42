// PolicySnapshot: lookups, gateway defaults, and copies that share.
#include "agent/snapshot/policy_snapshot.h"

#include <gtest/gtest.h>

#include "agent/policy/gateway_rules.h"
#include "tests/unit/snapshot/partner_fixtures.h"

namespace xmppfed::snapshot::testing {
namespace {

TEST(PolicySnapshotTest, AnEmptySnapshotHasTheGatewayDefaults) {
  PolicySnapshot snapshot({"example.test"});
  EXPECT_EQ(snapshot.gateway().connection_limit(),
            policy::DefaultGatewayConfig().connection_limit());
  EXPECT_EQ(snapshot.PartnerFor("example.test"), nullptr);
  EXPECT_TRUE(snapshot.IsLocal("example.test"));
  EXPECT_FALSE(snapshot.IsLocal("partner.test"));
}

TEST(PolicySnapshotTest, StoredSettingsMissingAFieldGetItsDefault) {
  PolicySnapshot snapshot({"example.test"});
  v1::GatewayConfig stored;  // as an older agent stored it: fields unset
  stored.set_connection_limit(50);
  snapshot.SetGateway(stored, "a-secret-of-enough-length");
  EXPECT_EQ(snapshot.gateway().connection_limit(), 50u);
  EXPECT_EQ(snapshot.gateway().max_stanza_size(),
            policy::DefaultGatewayConfig().max_stanza_size());
  EXPECT_EQ(snapshot.dialback_secret(), "a-secret-of-enough-length");
}

TEST(PolicySnapshotTest, PartnerOutlivesTheSnapshotThatGaveIt) {
  PartnerRef kept;
  {
    auto snapshot = std::make_shared<PolicySnapshot>(
        std::vector<std::string>{"example.test"});
    snapshot->UpsertPartner(MakePartner("a.com", {"a.net"}));
    kept = snapshot->Partner("a.net");
  }
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(kept->identity(), "a.com");
}

TEST(PolicySnapshotTest, ConnectionLimitIsThePartnersElseTheGateways) {
  PolicySnapshot snapshot({"example.test"});
  v1::Partner own = MakePartner("a.com");
  own.set_connection_limit(3);
  snapshot.UpsertPartner(own);
  snapshot.UpsertPartner(MakePartner("b.com"));
  EXPECT_EQ(snapshot.ConnectionLimitFor(*snapshot.PartnerFor("a.com")), 3u);
  EXPECT_EQ(snapshot.ConnectionLimitFor(*snapshot.PartnerFor("b.com")),
            snapshot.gateway().partner_connection_limit());
}

TEST(PolicySnapshotTest, APatchedCopyLeavesThePublishedOneAlone) {
  PolicySnapshot published({"example.test"});
  published.UpsertPartner(MakePartner("a.com"));
  published.set_revision(4);
  PolicySnapshot next(published);
  next.RemovePartner("a.com");
  next.UpsertPartner(MakePartner("b.com"));
  next.set_revision(5);
  EXPECT_NE(published.PartnerFor("a.com"), nullptr);
  EXPECT_EQ(published.PartnerFor("b.com"), nullptr);
  EXPECT_EQ(published.revision(), 4u);
  EXPECT_EQ(next.PartnerFor("a.com"), nullptr);
  EXPECT_NE(next.PartnerFor("b.com"), nullptr);
}

}  // namespace
}  // namespace xmppfed::snapshot::testing
