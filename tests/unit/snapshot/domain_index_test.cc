// DomainIndex: partners by every domain, patched by copy-on-write shards.
#include "agent/snapshot/domain_index.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "tests/unit/snapshot/partner_fixtures.h"

namespace xmppfed::snapshot::testing {
namespace {

PartnerRef Make(const std::string& identity,
                const std::vector<std::string>& additional = {},
                uint64_t revision = 1) {
  return std::make_shared<const PartnerPolicy>(
      MakePartner(identity, additional, revision));
}

std::string OwnerOf(const DomainIndex& index, std::string_view domain) {
  const PartnerPolicy* partner = index.Find(domain);
  return partner == nullptr ? "" : std::string(partner->identity());
}

TEST(DomainIndexTest, FindsAPartnerByEachOfItsDomains) {
  DomainIndex index;
  index.Upsert(Make("a.com", {"a.net", "a.org"}));
  EXPECT_EQ(OwnerOf(index, "a.com"), "a.com");
  EXPECT_EQ(OwnerOf(index, "a.net"), "a.com");
  EXPECT_EQ(OwnerOf(index, "a.org"), "a.com");
  EXPECT_EQ(index.Find("b.com"), nullptr);
  EXPECT_EQ(index.partner_count(), 1u);
  EXPECT_EQ(index.domain_count(), 3u);
  ASSERT_NE(index.FindIdentity("a.com"), nullptr);
  EXPECT_EQ(index.FindIdentity("a.net"), nullptr);
}

TEST(DomainIndexTest, UpsertReplacesThePartnerAndItsDomains) {
  DomainIndex index;
  index.Upsert(Make("a.com", {"a.net", "a.org"}, 1));
  index.Upsert(Make("a.com", {"a.org", "a.io"}, 2));
  EXPECT_EQ(index.Find("a.net"), nullptr);
  EXPECT_EQ(OwnerOf(index, "a.org"), "a.com");
  EXPECT_EQ(OwnerOf(index, "a.io"), "a.com");
  EXPECT_EQ(index.Find("a.com")->revision(), 2u);
  EXPECT_EQ(index.Find("a.org")->revision(), 2u);
  EXPECT_EQ(index.partner_count(), 1u);
  EXPECT_EQ(index.domain_count(), 3u);
}

// One change moved x.net from a.com to b.com: whichever partner is upserted
// first, x.net ends with b.com and a.com keeps none of it.
TEST(DomainIndexTest, ADomainMovedBetweenPartnersEndsWithItsNewOwner) {
  for (bool new_owner_first : {false, true}) {
    DomainIndex index;
    index.Upsert(Make("a.com", {"x.net"}));
    index.Upsert(Make("b.com"));
    if (new_owner_first) {
      index.Upsert(Make("b.com", {"x.net"}, 2));
      index.Upsert(Make("a.com", {}, 2));
    } else {
      index.Upsert(Make("a.com", {}, 2));
      index.Upsert(Make("b.com", {"x.net"}, 2));
    }
    EXPECT_EQ(OwnerOf(index, "x.net"), "b.com") << new_owner_first;
    EXPECT_EQ(index.domain_count(), 3u) << new_owner_first;
    // Removing a.com now must not take x.net with it.
    index.Remove("a.com");
    EXPECT_EQ(OwnerOf(index, "x.net"), "b.com") << new_owner_first;
  }
}

TEST(DomainIndexTest, RemoveDropsThePartnerAndItsDomains) {
  DomainIndex index;
  index.Upsert(Make("a.com", {"a.net"}));
  index.Upsert(Make("b.com"));
  index.Remove("a.com");
  index.Remove("unknown.com");
  EXPECT_EQ(index.Find("a.com"), nullptr);
  EXPECT_EQ(index.Find("a.net"), nullptr);
  EXPECT_EQ(OwnerOf(index, "b.com"), "b.com");
  EXPECT_EQ(index.partner_count(), 1u);
  EXPECT_EQ(index.domain_count(), 1u);
}

TEST(DomainIndexTest, ChangingACopyLeavesTheOriginalAsItWas) {
  DomainIndex original;
  for (int i = 0; i < 2000; ++i) {
    std::string id = "p" + std::to_string(i) + ".com";
    original.Upsert(Make(id, {"x." + id}));
  }
  DomainIndex copy = original;
  copy.Remove("p7.com");
  copy.Upsert(Make("p8.com", {"y.p8.com"}, 2));
  copy.Upsert(Make("new.com"));

  EXPECT_EQ(OwnerOf(original, "p7.com"), "p7.com");
  EXPECT_EQ(OwnerOf(original, "x.p8.com"), "p8.com");
  EXPECT_EQ(original.Find("y.p8.com"), nullptr);
  EXPECT_EQ(original.Find("new.com"), nullptr);
  EXPECT_EQ(original.partner_count(), 2000u);

  EXPECT_EQ(copy.Find("p7.com"), nullptr);
  EXPECT_EQ(copy.Find("x.p8.com"), nullptr);
  EXPECT_EQ(OwnerOf(copy, "y.p8.com"), "p8.com");
  EXPECT_EQ(OwnerOf(copy, "new.com"), "new.com");
  EXPECT_EQ(copy.partner_count(), 2000u);
  // Untouched partners are the same objects in both.
  EXPECT_EQ(copy.Find("p9.com"), original.Find("p9.com"));
}

TEST(DomainIndexTest, ForEachPartnerVisitsEachPartnerOnce) {
  DomainIndex index;
  for (int i = 0; i < 300; ++i) {
    index.Upsert(Make("p" + std::to_string(i) + ".com",
                      {"q" + std::to_string(i) + ".com"}));
  }
  std::set<std::string> seen;
  int visits = 0;
  index.ForEachPartner([&](const PartnerRef& partner) {
    ++visits;
    seen.emplace(partner->identity());
    return true;
  });
  EXPECT_EQ(visits, 300);
  EXPECT_EQ(seen.size(), 300u);
}

TEST(DomainIndexTest, AReleasedPartnerLeavesNoKeyBehind) {
  DomainIndex index;
  index.Upsert(Make("a.com", {"x.net"}));
  // b.com takes x.net over, then a.com goes: the x.net key must not view
  // into a.com's freed buffer (ASan would catch the read).
  index.Upsert(Make("b.com", {"x.net"}));
  index.Remove("a.com");
  EXPECT_EQ(OwnerOf(index, "x.net"), "b.com");
  index.Remove("b.com");
  EXPECT_EQ(index.Find("x.net"), nullptr);
  EXPECT_EQ(index.domain_count(), 0u);
}

}  // namespace
}  // namespace xmppfed::snapshot::testing
