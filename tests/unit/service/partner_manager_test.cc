#include "agent/service/partner_manager.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "agent/errors/field_error.h"
#include "tests/unit/service/store_fixture.h"

namespace xmppfed::service {
namespace {

class PartnerManagerTest : public testing::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    manager_ = std::make_unique<PartnerManager>(
        store_.get(), std::vector<std::string>{"example.test"}, trail_.get());
  }

  absl::StatusOr<v1::PartnerChange> Create(const std::string& identity,
                                           v1::PartnerFields fields = {},
                                           bool what_if = false) {
    v1::NewPartnerRequest request;
    request.set_identity(identity);
    *request.mutable_fields() = fields;
    request.set_what_if(what_if);
    return manager_->Create(request, actor_);
  }

  std::vector<std::string> Identities(const std::string& filter = "") {
    v1::GetPartnersRequest request;
    request.set_filter(filter);
    std::vector<std::string> identities;
    absl::Status status = manager_->Get(request, [&](const v1::Partner& p) {
      identities.push_back(p.identity());
      return true;
    });
    EXPECT_TRUE(status.ok()) << status;
    return identities;
  }

  static v1::PartnerFields WithAdditional(std::vector<std::string> domains) {
    v1::PartnerFields fields;
    for (const std::string& d : domains) {
      fields.mutable_additional_domains()->add_domains(d);
    }
    return fields;
  }

  std::unique_ptr<PartnerManager> manager_;
};

TEST_F(PartnerManagerTest,
       CreateStoresNormalisedIdentityWithDefaultsAndWarning) {
  absl::StatusOr<v1::PartnerChange> change = Create("Fabrikam.COM.");
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_TRUE(change->applied());
  EXPECT_EQ(change->partner().identity(), "fabrikam.com");
  EXPECT_EQ(change->partner().revision(), 1u);
  EXPECT_EQ(change->partner().partner_type(),
            v1::PARTNER_TYPE_PUBLIC_UNVERIFIED);
  // The defaults' row warns, but only values given are warned about.
  EXPECT_EQ(change->warnings_size(), 0);
  v1::PartnerFields tls;
  tls.set_tls_negotiation(v1::NEGOTIATION_REQUIRED);
  absl::StatusOr<v1::PartnerChange> given = Create("contoso.com", tls);
  ASSERT_TRUE(given.ok()) << given.status();
  ASSERT_EQ(given->warnings_size(), 1);
  EXPECT_EQ(given->warnings(0),
            "Dialback will not operate if both SASL and TLS are required.");
  EXPECT_EQ(Identities(),
            (std::vector<std::string>{"contoso.com", "fabrikam.com"}));
}

TEST_F(PartnerManagerTest, ACreationIsAuditedWithEveryFieldItGot) {
  v1::PartnerFields fields;
  fields.set_description("Fabrikam");
  ASSERT_TRUE(Create("Fabrikam.COM", fields).ok());
  std::vector<v1::AuditEntry> log = AuditLog();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].verb(), "test");
  EXPECT_EQ(log[0].caller().user(), "root");
  EXPECT_EQ(log[0].result(), v1::AUDIT_RESULT_OK);
  ASSERT_EQ(log[0].identities_size(), 1);
  EXPECT_EQ(log[0].identities(0), "fabrikam.com");
  ASSERT_GE(log[0].changes_size(), 1);
  EXPECT_EQ(log[0].changes(0).field(), "description");
  EXPECT_FALSE(log[0].changes(0).has_old_value());
  EXPECT_EQ(log[0].changes(0).new_value(), "Fabrikam");
}

TEST_F(PartnerManagerTest, ASetIsAuditedWithTheFieldsItChangedOnly) {
  ASSERT_TRUE(Create("fabrikam.com").ok());
  v1::SetPartnerRequest request;
  request.set_identity("fabrikam.com");
  request.mutable_fields()->set_tls_negotiation(v1::NEGOTIATION_OPTIONAL);
  request.mutable_fields()->set_partner_type(
      v1::PARTNER_TYPE_PUBLIC_UNVERIFIED);  // the value it has already
  ASSERT_TRUE(manager_->Set(request, actor_).ok());
  std::vector<v1::AuditEntry> log = AuditLog();
  ASSERT_EQ(log.size(), 2u);
  ASSERT_EQ(log[0].changes_size(), 1);
  EXPECT_EQ(log[0].changes(0).field(), "tlsNegotiation");
  EXPECT_EQ(log[0].changes(0).old_value(), "Required");
  EXPECT_EQ(log[0].changes(0).new_value(), "Optional");
}

TEST_F(PartnerManagerTest, ARefusalIsAuditedAndAWhatIfOrANoOpIsNot) {
  ASSERT_TRUE(Create("fabrikam.com").ok());
  ASSERT_FALSE(Create("fabrikam.com").ok());
  ASSERT_FALSE(Create("not a domain").ok());
  ASSERT_TRUE(Create("contoso.com", {}, /*what_if=*/true).ok());
  ASSERT_FALSE(Create("still not a domain", {}, /*what_if=*/true).ok());
  v1::SetPartnerRequest unchanged;
  unchanged.set_identity("fabrikam.com");
  unchanged.mutable_fields()->set_partner_type(
      v1::PARTNER_TYPE_PUBLIC_UNVERIFIED);
  ASSERT_TRUE(manager_->Set(unchanged, actor_).ok());
  std::vector<v1::AuditEntry> log = AuditLog();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].result(), v1::AUDIT_RESULT_REFUSED);
  EXPECT_EQ(log[0].identities(0), "not a domain");
  EXPECT_EQ(log[1].result(), v1::AUDIT_RESULT_REFUSED);
  EXPECT_EQ(log[1].identities(0), "fabrikam.com");
  EXPECT_NE(log[1].error().find("already"), std::string::npos)
      << log[1].error();
  EXPECT_EQ(log[2].result(), v1::AUDIT_RESULT_OK);
}

TEST_F(PartnerManagerTest, ARemovalIsAuditedWithWhatWasRemoved) {
  ASSERT_TRUE(Create("a.com").ok());
  ASSERT_TRUE(Create("b.com").ok());
  v1::RemovePartnersRequest one;
  one.add_identities("a.com");
  ASSERT_TRUE(manager_->Remove(one, actor_).ok());
  v1::RemovePartnersRequest missing;
  missing.add_identities("b.com");
  missing.add_identities("c.com");
  ASSERT_FALSE(manager_->Remove(missing, actor_).ok());
  std::vector<v1::AuditEntry> log = AuditLog();
  ASSERT_EQ(log.size(), 4u);
  EXPECT_EQ(log[0].result(), v1::AUDIT_RESULT_REFUSED);
  EXPECT_EQ(log[0].identities_size(), 2);
  EXPECT_EQ(log[1].result(), v1::AUDIT_RESULT_OK);
  EXPECT_EQ(log[1].identities(0), "a.com");
  ASSERT_EQ(log[1].changes_size(), 9);
  EXPECT_EQ(log[1].changes(0).field(), "description");
  EXPECT_FALSE(log[1].changes(0).has_new_value());
  EXPECT_EQ(Identities(), std::vector<std::string>{"b.com"});
}

TEST_F(PartnerManagerTest, WhatIfCreateWritesNothing) {
  absl::StatusOr<v1::PartnerChange> change = Create("fabrikam.com", {}, true);
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_FALSE(change->applied());
  EXPECT_EQ(change->partner().identity(), "fabrikam.com");
  EXPECT_TRUE(Identities().empty());
}

TEST_F(PartnerManagerTest, LocalDomainCannotBeAPartner) {
  absl::StatusOr<v1::PartnerChange> as_identity = Create("EXAMPLE.test");
  ASSERT_FALSE(as_identity.ok());
  EXPECT_EQ(as_identity.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(errors::GetErrorDetail(as_identity.status())->field(), "identity");

  absl::StatusOr<v1::PartnerChange> as_additional =
      Create("fabrikam.com", WithAdditional({"example.test"}));
  ASSERT_FALSE(as_additional.ok());
  EXPECT_EQ(errors::GetErrorDetail(as_additional.status())->field(),
            "additionalDomains");
  EXPECT_TRUE(Identities().empty());
}

TEST_F(PartnerManagerTest, DomainClashNamesTheOwner) {
  ASSERT_TRUE(Create("fabrikam.com", WithAdditional({"contoso.com"})).ok());
  absl::StatusOr<v1::PartnerChange> clash = Create("contoso.com");
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_NE(clash.status().message().find("fabrikam.com"), std::string::npos)
      << clash.status();
  EXPECT_EQ(errors::GetErrorDetail(clash.status())->owner(), "fabrikam.com");

  absl::StatusOr<v1::PartnerChange> again = Create("fabrikam.com");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
}

TEST_F(PartnerManagerTest, SetChangesOnlyGivenFieldsAndBumpsRevision) {
  v1::PartnerFields fields;
  fields.set_description("first");
  fields.set_partner_type(v1::PARTNER_TYPE_FEDERATED);
  ASSERT_TRUE(Create("fabrikam.com", fields).ok());

  v1::SetPartnerRequest request;
  request.set_identity("fabrikam.com");
  request.mutable_fields()->set_description("second");
  absl::StatusOr<v1::PartnerChange> change = manager_->Set(request, actor_);
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_TRUE(change->applied());
  EXPECT_EQ(change->partner().description(), "second");
  EXPECT_EQ(change->partner().partner_type(), v1::PARTNER_TYPE_FEDERATED);
  EXPECT_EQ(change->partner().revision(), 2u);
  EXPECT_EQ(change->before().description(), "first");
}

TEST_F(PartnerManagerTest, SetThatChangesNothingIsNotWritten) {
  ASSERT_TRUE(Create("fabrikam.com").ok());
  v1::SetPartnerRequest request;
  request.set_identity("fabrikam.com");
  request.mutable_fields()->set_partner_type(
      v1::PARTNER_TYPE_PUBLIC_UNVERIFIED);
  absl::StatusOr<v1::PartnerChange> change = manager_->Set(request, actor_);
  ASSERT_TRUE(change.ok()) << change.status();
  EXPECT_FALSE(change->applied());
  EXPECT_EQ(change->partner().revision(), 1u);
}

TEST_F(PartnerManagerTest, SetWithStaleRevisionIsRefused) {
  ASSERT_TRUE(Create("fabrikam.com").ok());
  v1::SetPartnerRequest request;
  request.set_identity("fabrikam.com");
  request.set_expected_revision(7);
  request.mutable_fields()->set_description("x");
  absl::StatusOr<v1::PartnerChange> change = manager_->Set(request, actor_);
  ASSERT_FALSE(change.ok());
  EXPECT_EQ(change.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(errors::GetErrorDetail(change.status())->field(), "revision");
}

TEST_F(PartnerManagerTest, SetOfUnknownPartnerHintsAtTheOwnerOfThatDomain) {
  ASSERT_TRUE(Create("fabrikam.com", WithAdditional({"contoso.com"})).ok());
  v1::SetPartnerRequest request;
  request.set_identity("contoso.com");
  request.mutable_fields()->set_description("x");
  absl::StatusOr<v1::PartnerChange> change = manager_->Set(request, actor_);
  ASSERT_FALSE(change.ok());
  EXPECT_EQ(change.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(change.status().message().find(
                "additional domain of partner fabrikam.com"),
            std::string::npos)
      << change.status();
}

TEST_F(PartnerManagerTest, GetByWildcardIdentityPointsToFilter) {
  v1::GetPartnersRequest request;
  request.set_identity("*.com");
  absl::Status status =
      manager_->Get(request, [](const v1::Partner&) { return true; });
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("--filter"), std::string::npos) << status;
}

TEST_F(PartnerManagerTest, FilterIsCaseInsensitiveGlob) {
  for (const char* identity : {"alpha.test", "beta.test", "alps.test"}) {
    ASSERT_TRUE(Create(identity).ok());
  }
  EXPECT_EQ(Identities("AL*"),
            (std::vector<std::string>{"alpha.test", "alps.test"}));
}

TEST_F(PartnerManagerTest, RemoveIsAllOrNothing) {
  ASSERT_TRUE(Create("a.test").ok());
  v1::RemovePartnersRequest request;
  request.add_identities("a.test");
  request.add_identities("missing.test");
  absl::StatusOr<v1::RemovePartnersReply> reply =
      manager_->Remove(request, actor_);
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(reply.status().message().find("missing.test"), std::string::npos);
  EXPECT_EQ(Identities(), std::vector<std::string>{"a.test"});
}

TEST_F(PartnerManagerTest, RemoveByFilterWhatIfListsAndKeeps) {
  ASSERT_TRUE(Create("a1.test").ok());
  ASSERT_TRUE(Create("a2.test").ok());
  ASSERT_TRUE(Create("b.test").ok());
  v1::RemovePartnersRequest request;
  request.set_filter("a*");
  request.set_what_if(true);
  absl::StatusOr<v1::RemovePartnersReply> preview =
      manager_->Remove(request, actor_);
  ASSERT_TRUE(preview.ok()) << preview.status();
  EXPECT_FALSE(preview->applied());
  EXPECT_EQ(preview->removed_size(), 2);
  EXPECT_EQ(Identities().size(), 3u);

  request.set_what_if(false);
  absl::StatusOr<v1::RemovePartnersReply> removed =
      manager_->Remove(request, actor_);
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_TRUE(removed->applied());
  EXPECT_EQ(Identities(), std::vector<std::string>{"b.test"});
}

TEST_F(PartnerManagerTest, WildcardCoveringALocalDomainIsRefused) {
  PartnerManager manager(store_.get(), {"chat.fabrikam.com"}, trail_.get());
  v1::NewPartnerRequest request;
  request.set_identity("fabrikam.com");
  request.mutable_fields()->mutable_additional_domains()->add_domains(
      "*.Fabrikam.com");
  absl::StatusOr<v1::PartnerChange> refused = manager.Create(request, actor_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().message(),
            "additionalDomains=*.fabrikam.com: covers chat.fabrikam.com, a "
            "local domain of this agent (--domain), which cannot be a "
            "partner's");
  EXPECT_TRUE(Identities().empty());

  // A wildcard that covers only other subdomains is fine.
  request.mutable_fields()->mutable_additional_domains()->set_domains(
      0, "*.eu.fabrikam.com");
  EXPECT_TRUE(manager.Create(request, actor_).ok());
}

TEST_F(PartnerManagerTest, GetBySubdomainNamesTheCoveringWildcard) {
  ASSERT_TRUE(Create("fabrikam.com", WithAdditional({"*.fabrikam.com"})).ok());
  v1::GetPartnersRequest request;
  request.set_identity("conference.fabrikam.com");
  absl::Status status =
      manager_->Get(request, [](const v1::Partner&) { return true; });
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(status.message(),
            "identity=conference.fabrikam.com: no partner has this identity; "
            "it is covered by additional domain *.fabrikam.com of partner "
            "fabrikam.com");
}

}  // namespace
}  // namespace xmppfed::service
