// Partner create / get / update / delete and the integrity rules the store
// guarantees: one owner per domain, revisions, all-or-nothing deletes.
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/unit/store/store_fixture.h"
#include "tests/unit/store/test_audit.h"

namespace xmppfed::store::testing {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// `partner` without the fields the store maintains.
v1::Partner Writable(v1::Partner partner) {
  partner.clear_revision();
  partner.clear_created_at();
  partner.clear_modified_at();
  return partner;
}

TEST_P(StoreTest, CreateThenGetRoundTripsEveryField) {
  Store& store = Open();
  v1::Partner input =
      MakePartner("fabrikam.com", {"fabrikam.net", "fabrikam.org"});

  absl::StatusOr<v1::Partner> created =
      store.CreatePartner(input, ::xmppfed::testing::TestAudit());
  ASSERT_TRUE(created.ok()) << created.status();
  absl::StatusOr<std::optional<v1::Partner>> got =
      store.GetPartner("fabrikam.com");
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_TRUE(got->has_value());

  EXPECT_TRUE(MessageDifferencer::Equals(Writable(**got), input))
      << (*got)->DebugString();
  EXPECT_TRUE(MessageDifferencer::Equals(**got, *created))
      << (*got)->DebugString() << "\nvs\n"
      << created->DebugString();
}

TEST_P(StoreTest, CreateSetsRevisionOneAndEqualMicrosecondTimestamps) {
  Store& store = Open();
  v1::Partner input = MakePartner("fabrikam.com");
  input.set_revision(42);  // bookkeeping in the input is ignored
  int64_t before = absl::ToUnixMicros(absl::Now());
  absl::StatusOr<v1::Partner> created =
      store.CreatePartner(input, ::xmppfed::testing::TestAudit());
  int64_t after = absl::ToUnixMicros(absl::Now());
  ASSERT_TRUE(created.ok()) << created.status();

  EXPECT_EQ(created->revision(), 1u);
  EXPECT_EQ(Micros(created->created_at()), Micros(created->modified_at()));
  EXPECT_GE(Micros(created->created_at()), before);
  EXPECT_LE(Micros(created->created_at()), after);
  EXPECT_EQ(created->created_at().nanos() % 1000, 0);
}

TEST_P(StoreTest, AdditionalDomainsComeBackSorted) {
  Store& store = Open();
  absl::StatusOr<v1::Partner> created = store.CreatePartner(
      MakePartner("fabrikam.com",
                  {"z.fabrikam.com", "a.fabrikam.com", "m.fabrikam.com"}),
      ::xmppfed::testing::TestAudit());
  ASSERT_TRUE(created.ok()) << created.status();
  absl::StatusOr<std::optional<v1::Partner>> got =
      store.GetPartner("fabrikam.com");
  ASSERT_TRUE(got.ok() && got->has_value());

  EXPECT_THAT(Domains(*created), ElementsAre("a.fabrikam.com", "m.fabrikam.com",
                                             "z.fabrikam.com"));
  EXPECT_THAT(Domains(**got), ElementsAre("a.fabrikam.com", "m.fabrikam.com",
                                          "z.fabrikam.com"));
}

TEST_P(StoreTest, GetPartnerFindsIdentitiesOnlyNotAdditionalDomains) {
  Store& store = Open();
  ASSERT_TRUE(store
                  .CreatePartner(MakePartner("fabrikam.com", {"fabrikam.net"}),
                                 ::xmppfed::testing::TestAudit())
                  .ok());

  absl::StatusOr<std::optional<v1::Partner>> by_additional =
      store.GetPartner("fabrikam.net");
  absl::StatusOr<std::optional<v1::Partner>> unknown =
      store.GetPartner("contoso.com");
  ASSERT_TRUE(by_additional.ok() && unknown.ok());
  EXPECT_FALSE(by_additional->has_value());
  EXPECT_FALSE(unknown->has_value());
}

TEST_P(StoreTest, UpdateReplacesEveryFieldIncrementsRevisionKeepsCreatedAt) {
  Store& store = Open();
  absl::StatusOr<v1::Partner> created =
      store.CreatePartner(MakePartner("fabrikam.com", {"fabrikam.net"}),
                          ::xmppfed::testing::TestAudit());
  ASSERT_TRUE(created.ok()) << created.status();

  v1::Partner changed = MakePartner("fabrikam.com", {"fabrikam.org"});
  changed.set_description("changed");
  changed.set_partner_type(v1::PARTNER_TYPE_PUBLIC_VERIFIED);
  changed.set_tls_negotiation(v1::NEGOTIATION_REQUIRED);
  changed.set_sasl_negotiation(v1::NEGOTIATION_OPTIONAL);
  changed.set_support_dialback_negotiation(false);
  changed.set_proxy_fqdn("");
  changed.set_enable_keep_alive(true);
  changed.set_connection_limit(0);
  absl::StatusOr<v1::Partner> updated = store.UpdatePartner(
      changed, std::nullopt, ::xmppfed::testing::TestAudit());
  ASSERT_TRUE(updated.ok()) << updated.status();
  absl::StatusOr<std::optional<v1::Partner>> got =
      store.GetPartner("fabrikam.com");
  ASSERT_TRUE(got.ok() && got->has_value());

  EXPECT_TRUE(MessageDifferencer::Equals(Writable(**got), changed))
      << (*got)->DebugString();
  EXPECT_TRUE(MessageDifferencer::Equals(**got, *updated));
  EXPECT_EQ((*got)->revision(), 2u);
  EXPECT_EQ(Micros((*got)->created_at()), Micros(created->created_at()));
  EXPECT_GE(Micros((*got)->modified_at()), Micros(created->modified_at()));

  absl::StatusOr<v1::Partner> again =
      store.UpdatePartner(changed, 2, ::xmppfed::testing::TestAudit());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->revision(), 3u);
}

TEST_P(StoreTest, UpdateOfUnknownPartnerIsNotFound) {
  Store& store = Open();
  absl::StatusOr<v1::Partner> updated =
      store.UpdatePartner(MakePartner("fabrikam.com"), std::nullopt,
                          ::xmppfed::testing::TestAudit());

  ASSERT_EQ(updated.status().code(), absl::StatusCode::kNotFound)
      << updated.status();
  EXPECT_EQ(Detail(updated.status()).field(), "identity");
  EXPECT_EQ(Detail(updated.status()).value(), "fabrikam.com");
}

TEST_P(StoreTest, UpdateWithStaleExpectedRevisionIsRefusedAndChangesNothing) {
  Store& store = Open();
  ASSERT_TRUE(store
                  .CreatePartner(MakePartner("fabrikam.com"),
                                 ::xmppfed::testing::TestAudit())
                  .ok());
  v1::Partner changed = MakePartner("fabrikam.com");
  changed.set_description("changed");
  ASSERT_TRUE(
      store.UpdatePartner(changed, 1, ::xmppfed::testing::TestAudit()).ok());

  v1::Partner late = MakePartner("fabrikam.com");
  late.set_description("late");
  absl::StatusOr<v1::Partner> refused =
      store.UpdatePartner(late, 1, ::xmppfed::testing::TestAudit());

  ASSERT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition)
      << refused.status();
  EXPECT_EQ(Detail(refused.status()).field(), "revision");
  EXPECT_EQ(Detail(refused.status()).value(), "1");
  absl::StatusOr<std::optional<v1::Partner>> got =
      store.GetPartner("fabrikam.com");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->description(), "changed");
  EXPECT_EQ((*got)->revision(), 2u);
}

TEST_P(StoreTest, CreateWithExistingIdentityIsAlreadyExistsNamingOwner) {
  Store& store = Open();
  ASSERT_TRUE(store
                  .CreatePartner(MakePartner("fabrikam.com"),
                                 ::xmppfed::testing::TestAudit())
                  .ok());

  absl::StatusOr<v1::Partner> again = store.CreatePartner(
      MakePartner("fabrikam.com"), ::xmppfed::testing::TestAudit());

  ASSERT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  v1::ErrorDetail detail = Detail(again.status());
  EXPECT_EQ(detail.field(), "identity");
  EXPECT_EQ(detail.value(), "fabrikam.com");
  EXPECT_EQ(detail.owner(), "fabrikam.com");
}

TEST_P(StoreTest, CreateWithIdentityOwnedAsAdditionalDomainNamesOwner) {
  Store& store = Open();
  ASSERT_TRUE(store
                  .CreatePartner(MakePartner("fabrikam.com", {"contoso.com"}),
                                 ::xmppfed::testing::TestAudit())
                  .ok());

  absl::StatusOr<v1::Partner> clash = store.CreatePartner(
      MakePartner("contoso.com"), ::xmppfed::testing::TestAudit());

  ASSERT_EQ(clash.status().code(), absl::StatusCode::kAlreadyExists);
  v1::ErrorDetail detail = Detail(clash.status());
  EXPECT_EQ(detail.field(), "identity");
  EXPECT_EQ(detail.value(), "contoso.com");
  EXPECT_EQ(detail.owner(), "fabrikam.com");
  EXPECT_EQ(clash.status().message(),
            "identity=contoso.com: already belongs to partner fabrikam.com");
}

TEST_P(StoreTest, CreateWithTakenAdditionalDomainNamesOwnerAndWritesNothing) {
  Store& store = Open();
  ASSERT_TRUE(store
                  .CreatePartner(MakePartner("fabrikam.com", {"contoso.com"}),
                                 ::xmppfed::testing::TestAudit())
                  .ok());

  absl::StatusOr<v1::Partner> clash = store.CreatePartner(
      MakePartner("northwind.com", {"northwind.net", "contoso.com"}),
      ::xmppfed::testing::TestAudit());

  ASSERT_EQ(clash.status().code(), absl::StatusCode::kAlreadyExists);
  v1::ErrorDetail detail = Detail(clash.status());
  EXPECT_EQ(detail.field(), "additionalDomains");
  EXPECT_EQ(detail.value(), "contoso.com");
  EXPECT_EQ(detail.owner(), "fabrikam.com");
  EXPECT_EQ(clash.status().message(),
            "additionalDomains=contoso.com: already belongs to partner "
            "fabrikam.com");
  EXPECT_EQ(*store.CountPartners(), 1u);
  EXPECT_EQ(*store.FindDomainOwner("northwind.net"), std::nullopt);
}

TEST_P(StoreTest, UpdateTakingAnotherPartnersDomainIsAlreadyExists) {
  Store& store = Open();
  ASSERT_TRUE(store
                  .CreatePartner(MakePartner("fabrikam.com", {"contoso.com"}),
                                 ::xmppfed::testing::TestAudit())
                  .ok());
  ASSERT_TRUE(store
                  .CreatePartner(MakePartner("northwind.com"),
                                 ::xmppfed::testing::TestAudit())
                  .ok());

  absl::StatusOr<v1::Partner> moved =
      store.UpdatePartner(MakePartner("northwind.com", {"contoso.com"}),
                          std::nullopt, ::xmppfed::testing::TestAudit());

  ASSERT_EQ(moved.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Detail(moved.status()).field(), "additionalDomains");
  EXPECT_EQ(Detail(moved.status()).value(), "contoso.com");
  EXPECT_EQ(Detail(moved.status()).owner(), "fabrikam.com");
  EXPECT_EQ(*store.FindDomainOwner("contoso.com"), "fabrikam.com");
  EXPECT_EQ((*store.GetPartner("northwind.com"))->revision(), 1u);
}

TEST_P(StoreTest, UpdateMayKeepAndDropItsOwnDomains) {
  Store& store = Open();
  ASSERT_TRUE(store
                  .CreatePartner(MakePartner("fabrikam.com",
                                             {"fabrikam.net", "fabrikam.org"}),
                                 ::xmppfed::testing::TestAudit())
                  .ok());

  absl::StatusOr<v1::Partner> updated =
      store.UpdatePartner(MakePartner("fabrikam.com", {"fabrikam.net"}),
                          std::nullopt, ::xmppfed::testing::TestAudit());

  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_THAT(Domains(*updated), ElementsAre("fabrikam.net"));
  EXPECT_EQ(*store.FindDomainOwner("fabrikam.net"), "fabrikam.com");
  EXPECT_EQ(*store.FindDomainOwner("fabrikam.org"), std::nullopt);
}

TEST_P(StoreTest, DomainListedTwiceByOnePartnerIsInvalidArgument) {
  Store& store = Open();
  absl::StatusOr<v1::Partner> twice = store.CreatePartner(
      MakePartner("fabrikam.com", {"fabrikam.net", "fabrikam.net"}),
      ::xmppfed::testing::TestAudit());
  absl::StatusOr<v1::Partner> identity_again =
      store.CreatePartner(MakePartner("fabrikam.com", {"fabrikam.com"}),
                          ::xmppfed::testing::TestAudit());

  EXPECT_EQ(twice.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Detail(twice.status()).value(), "fabrikam.net");
  EXPECT_EQ(identity_again.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Detail(identity_again.status()).field(), "additionalDomains");
  EXPECT_EQ(*store.CountPartners(), 0u);
}

TEST_P(StoreTest, FindDomainOwnerResolvesIdentityAndAdditionalDomains) {
  Store& store = Open();
  ASSERT_TRUE(store
                  .CreatePartner(MakePartner("fabrikam.com", {"fabrikam.net"}),
                                 ::xmppfed::testing::TestAudit())
                  .ok());

  EXPECT_EQ(*store.FindDomainOwner("fabrikam.com"), "fabrikam.com");
  EXPECT_EQ(*store.FindDomainOwner("fabrikam.net"), "fabrikam.com");
  EXPECT_EQ(*store.FindDomainOwner("contoso.com"), std::nullopt);
}

TEST_P(StoreTest, CountPartnersCountsIdentities) {
  Store& store = Open();
  EXPECT_EQ(*store.CountPartners(), 0u);
  ASSERT_TRUE(store
                  .CreatePartner(MakePartner("a.com", {"a.net"}),
                                 ::xmppfed::testing::TestAudit())
                  .ok());
  ASSERT_TRUE(
      store.CreatePartner(MakePartner("b.com"), ::xmppfed::testing::TestAudit())
          .ok());
  EXPECT_EQ(*store.CountPartners(), 2u);
}

TEST_P(StoreTest, DeletePartnersRemovesReturnsAndFreesDomains) {
  Store& store = Open();
  ASSERT_TRUE(store
                  .CreatePartner(MakePartner("fabrikam.com", {"fabrikam.net"}),
                                 ::xmppfed::testing::TestAudit())
                  .ok());
  ASSERT_TRUE(store
                  .CreatePartner(MakePartner("contoso.com"),
                                 ::xmppfed::testing::TestAudit())
                  .ok());
  ASSERT_TRUE(store
                  .CreatePartner(MakePartner("northwind.com"),
                                 ::xmppfed::testing::TestAudit())
                  .ok());

  absl::StatusOr<std::vector<v1::Partner>> removed = store.DeletePartners(
      {"northwind.com", "fabrikam.com"}, ::xmppfed::testing::TestRemoval());

  ASSERT_TRUE(removed.ok()) << removed.status();
  ASSERT_EQ(removed->size(), 2u);
  EXPECT_EQ((*removed)[0].identity(), "northwind.com");
  EXPECT_EQ((*removed)[1].identity(), "fabrikam.com");
  EXPECT_THAT(Domains((*removed)[1]), ElementsAre("fabrikam.net"));
  EXPECT_THAT(ListIdentities(store, ""), ElementsAre("contoso.com"));
  EXPECT_EQ(*store.FindDomainOwner("fabrikam.net"), std::nullopt);
  EXPECT_TRUE(store
                  .CreatePartner(MakePartner("fabrikam.net"),
                                 ::xmppfed::testing::TestAudit())
                  .ok());
}

TEST_P(StoreTest, DeletePartnersIsAllOrNothing) {
  Store& store = Open();
  ASSERT_TRUE(
      store.CreatePartner(MakePartner("a.com"), ::xmppfed::testing::TestAudit())
          .ok());
  ASSERT_TRUE(
      store.CreatePartner(MakePartner("c.com"), ::xmppfed::testing::TestAudit())
          .ok());

  absl::StatusOr<std::vector<v1::Partner>> removed = store.DeletePartners(
      {"a.com", "b.com", "c.com", "d.com"}, ::xmppfed::testing::TestRemoval());

  ASSERT_EQ(removed.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(Detail(removed.status()).field(), "identity");
  EXPECT_EQ(Detail(removed.status()).value(), "b.com");
  EXPECT_THAT(ListIdentities(store, ""), ElementsAre("a.com", "c.com"));
}

TEST_P(StoreTest, DeletePartnersListingOneTwiceRemovesItOnce) {
  Store& store = Open();
  ASSERT_TRUE(
      store.CreatePartner(MakePartner("a.com"), ::xmppfed::testing::TestAudit())
          .ok());

  absl::StatusOr<std::vector<v1::Partner>> removed = store.DeletePartners(
      {"a.com", "a.com"}, ::xmppfed::testing::TestRemoval());

  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(removed->size(), 1u);
  EXPECT_THAT(ListIdentities(store, ""), IsEmpty());
}

}  // namespace
}  // namespace xmppfed::store::testing
