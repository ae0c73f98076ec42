// The snapshot's lookup of a remote domain with wildcard additional domains:
// exact first, then the longest wildcard suffix; never the bare base; never
// a local domain.
#include <gtest/gtest.h>

#include "agent/snapshot/policy_snapshot.h"
#include "tests/unit/snapshot/partner_fixtures.h"

namespace xmppfed::snapshot::testing {
namespace {

std::string OwnerOf(const PolicySnapshot& snapshot, std::string_view domain) {
  const PartnerPolicy* partner = snapshot.PartnerFor(domain);
  return partner == nullptr ? "(none)" : std::string(partner->identity());
}

TEST(WildcardLookupTest, CoversSubdomainsAtAnyDepthButNotTheBase) {
  PolicySnapshot snapshot({"example.test"});
  snapshot.UpsertPartner(MakePartner("fabrikam.net", {"*.fabrikam.com"}));
  EXPECT_EQ(OwnerOf(snapshot, "conference.fabrikam.com"), "fabrikam.net");
  EXPECT_EQ(OwnerOf(snapshot, "a.b.fabrikam.com"), "fabrikam.net");
  EXPECT_EQ(OwnerOf(snapshot, "fabrikam.com"), "(none)");
  EXPECT_EQ(OwnerOf(snapshot, "xfabrikam.com"), "(none)");
  EXPECT_EQ(OwnerOf(snapshot, "fabrikam.com.evil.test"), "(none)");
  EXPECT_EQ(OwnerOf(snapshot, "com"), "(none)");
  // The wildcard's own spelling is a key, not a domain anyone sends from;
  // Partner() resolves like PartnerFor().
  ASSERT_NE(snapshot.Partner("pubsub.fabrikam.com"), nullptr);
  EXPECT_EQ(snapshot.Partner("pubsub.fabrikam.com")->identity(),
            "fabrikam.net");
}

TEST(WildcardLookupTest, BareDomainListedBesideTheWildcardIsCovered) {
  PolicySnapshot snapshot({"example.test"});
  snapshot.UpsertPartner(MakePartner("fabrikam.com", {"*.fabrikam.com"}));
  EXPECT_EQ(OwnerOf(snapshot, "fabrikam.com"), "fabrikam.com");
  EXPECT_EQ(OwnerOf(snapshot, "conference.fabrikam.com"), "fabrikam.com");
}

TEST(WildcardLookupTest, ExactDomainOfAnotherPartnerWinsOverTheWildcard) {
  PolicySnapshot snapshot({"example.test"});
  snapshot.UpsertPartner(MakePartner("fabrikam.com", {"*.fabrikam.com"}));
  snapshot.UpsertPartner(MakePartner("contoso.com", {"chat.fabrikam.com"}));
  EXPECT_EQ(OwnerOf(snapshot, "chat.fabrikam.com"), "contoso.com");
  EXPECT_EQ(OwnerOf(snapshot, "a.chat.fabrikam.com"), "fabrikam.com");
  EXPECT_EQ(OwnerOf(snapshot, "conference.fabrikam.com"), "fabrikam.com");
}

TEST(WildcardLookupTest, NestedWildcardsResolveToTheLongestSuffix) {
  PolicySnapshot snapshot({"example.test"});
  snapshot.UpsertPartner(MakePartner("fabrikam.com", {"*.fabrikam.com"}));
  snapshot.UpsertPartner(MakePartner("contoso.com", {"*.eu.fabrikam.com"}));
  EXPECT_EQ(OwnerOf(snapshot, "muc.eu.fabrikam.com"), "contoso.com");
  EXPECT_EQ(OwnerOf(snapshot, "a.b.eu.fabrikam.com"), "contoso.com");
  EXPECT_EQ(OwnerOf(snapshot, "eu.fabrikam.com"), "fabrikam.com");
  EXPECT_EQ(OwnerOf(snapshot, "muc.us.fabrikam.com"), "fabrikam.com");
}

TEST(WildcardLookupTest, LocalDomainIsNeverAPartners) {
  PolicySnapshot snapshot({"chat.fabrikam.com"});
  snapshot.UpsertPartner(MakePartner("fabrikam.com", {"*.fabrikam.com"}));
  EXPECT_EQ(OwnerOf(snapshot, "chat.fabrikam.com"), "(none)");
  EXPECT_EQ(OwnerOf(snapshot, "muc.fabrikam.com"), "fabrikam.com");
}

TEST(WildcardLookupTest, RemovingThePartnerDropsItsWildcard) {
  PolicySnapshot snapshot({"example.test"});
  snapshot.UpsertPartner(MakePartner("fabrikam.com", {"*.fabrikam.com"}));
  PolicySnapshot before = snapshot;
  snapshot.RemovePartner("fabrikam.com");
  EXPECT_EQ(OwnerOf(snapshot, "conference.fabrikam.com"), "(none)");
  // A copy taken before the change keeps resolving (shards are shared,
  // copied on write).
  EXPECT_EQ(OwnerOf(before, "conference.fabrikam.com"), "fabrikam.com");
  snapshot.UpsertPartner(MakePartner("fabrikam.com", {"*.eu.fabrikam.com"}));
  EXPECT_EQ(OwnerOf(snapshot, "conference.fabrikam.com"), "(none)");
  EXPECT_EQ(OwnerOf(snapshot, "muc.eu.fabrikam.com"), "fabrikam.com");
}

TEST(WildcardLookupTest, OverlongNameMatchesNothing) {
  PolicySnapshot snapshot({"example.test"});
  snapshot.UpsertPartner(MakePartner("fabrikam.com", {"*.fabrikam.com"}));
  std::string overlong = std::string(250, 'a') + ".fabrikam.com";
  EXPECT_EQ(OwnerOf(snapshot, overlong), "(none)");
  std::string longest = std::string(240, 'a') + ".fabrikam.com";
  ASSERT_EQ(longest.size(), 253u);
  EXPECT_EQ(OwnerOf(snapshot, longest), "fabrikam.com");
}

}  // namespace
}  // namespace xmppfed::snapshot::testing
