// Wildcard additional domains in the store (both backends): "*.BASE" is a
// key of its own beside the exact domains, so one partner owns it, an exact
// subdomain may belong to another partner, and nested wildcards coexist.
#include <string>

#include "gtest/gtest.h"
#include "tests/unit/store/store_fixture.h"
#include "tests/unit/store/test_audit.h"

namespace xmppfed::store::testing {
namespace {

using ::xmppfed::testing::TestAudit;

// fabrikam.com, owning "*.fabrikam.com".
void CreateFabrikamWithWildcard(Store& store) {
  absl::StatusOr<v1::Partner> created = store.CreatePartner(
      MakePartner("fabrikam.com", {"*.fabrikam.com"}), TestAudit());
  ASSERT_TRUE(created.ok()) << created.status();
}

TEST_P(StoreTest, SameWildcardOnTwoPartnersIsAClashNamingTheOwner) {
  Store& store = Open();
  ASSERT_NO_FATAL_FAILURE(CreateFabrikamWithWildcard(store));

  absl::StatusOr<v1::Partner> clash = store.CreatePartner(
      MakePartner("contoso.com", {"contoso.net", "*.fabrikam.com"}),
      TestAudit());

  ASSERT_EQ(clash.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(clash.status().message(),
            "additionalDomains=*.fabrikam.com: already belongs to partner "
            "fabrikam.com");
  EXPECT_EQ(Detail(clash.status()).owner(), "fabrikam.com");
  EXPECT_EQ(*store.CountPartners(), 1u);
  EXPECT_EQ(*store.FindDomainOwner("contoso.net"), std::nullopt);

  absl::StatusOr<v1::Partner> moved =
      store.UpdatePartner(MakePartner("northwind.com", {"*.fabrikam.com"}),
                          std::nullopt, TestAudit());
  EXPECT_FALSE(moved.ok());
  EXPECT_EQ(*store.FindDomainOwner("*.fabrikam.com"), "fabrikam.com");
}

TEST_P(StoreTest, WildcardExactSubdomainAndNestedWildcardHaveOwnersOfTheirOwn) {
  Store& store = Open();
  ASSERT_NO_FATAL_FAILURE(CreateFabrikamWithWildcard(store));
  absl::StatusOr<v1::Partner> nested = store.CreatePartner(
      MakePartner("contoso.com", {"chat.fabrikam.com", "*.eu.fabrikam.com"}),
      TestAudit());
  ASSERT_TRUE(nested.ok()) << nested.status();

  EXPECT_EQ(*store.FindDomainOwner("*.fabrikam.com"), "fabrikam.com");
  EXPECT_EQ(*store.FindDomainOwner("chat.fabrikam.com"), "contoso.com");
  EXPECT_EQ(*store.FindDomainOwner("*.eu.fabrikam.com"), "contoso.com");
  // The store answers for keys; the covering is the snapshot's lookup.
  EXPECT_EQ(*store.FindDomainOwner("muc.fabrikam.com"), std::nullopt);
  EXPECT_EQ((*store.GetPartner("fabrikam.com"))->additional_domains(0),
            "*.fabrikam.com");
}

TEST_P(StoreTest, DeletingThePartnerFreesItsWildcard) {
  Store& store = Open();
  ASSERT_NO_FATAL_FAILURE(CreateFabrikamWithWildcard(store));
  ASSERT_TRUE(
      store.DeletePartners({"fabrikam.com"}, ::xmppfed::testing::TestRemoval())
          .ok());
  EXPECT_EQ(*store.FindDomainOwner("*.fabrikam.com"), std::nullopt);
  EXPECT_TRUE(store
                  .CreatePartner(MakePartner("contoso.com", {"*.fabrikam.com"}),
                                 TestAudit())
                  .ok());
}

}  // namespace
}  // namespace xmppfed::store::testing
