// DefaultPartner and ApplyPartnerFields against SPEC §2's partner object.
#include "agent/policy/partner_rules.h"

#include <string>
#include <vector>

#include "agent/errors/field_error.h"
#include "agent/policy/negotiation.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace xmppfed::policy {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

v1::ErrorDetail DetailOf(const absl::Status& status) {
  return errors::GetErrorDetail(status).value_or(v1::ErrorDetail());
}

std::vector<std::string> Domains(const v1::Partner& partner) {
  return {partner.additional_domains().begin(),
          partner.additional_domains().end()};
}

TEST(DefaultPartnerTest, HasTheSpecDefaults) {
  v1::Partner p = DefaultPartner("fabrikam.com");
  EXPECT_EQ(p.identity(), "fabrikam.com");
  EXPECT_EQ(p.description(), "");
  EXPECT_THAT(p.additional_domains(), IsEmpty());
  EXPECT_EQ(p.partner_type(), v1::PARTNER_TYPE_PUBLIC_UNVERIFIED);
  EXPECT_EQ(p.tls_negotiation(), v1::NEGOTIATION_REQUIRED);
  EXPECT_EQ(p.sasl_negotiation(), v1::NEGOTIATION_REQUIRED);
  EXPECT_TRUE(p.support_dialback_negotiation());
  EXPECT_EQ(p.proxy_fqdn(), "");
  EXPECT_TRUE(p.enable_keep_alive());
  EXPECT_EQ(p.connection_limit(), 0u);
  EXPECT_EQ(p.revision(), 0u);
  EXPECT_FALSE(p.has_created_at());
  EXPECT_FALSE(p.has_modified_at());
}

TEST(ApplyPartnerFieldsTest, NoFieldsLeavesDefaultsUntouchedWithoutWarning) {
  v1::Partner p = DefaultPartner("fabrikam.com");
  absl::StatusOr<std::vector<std::string>> warnings =
      ApplyPartnerFields(v1::PartnerFields(), &p);
  ASSERT_TRUE(warnings.ok()) << warnings.status();
  // Required/Required/true, the table's first row, warns, but only about
  // values the caller gave: the defaults are not.
  EXPECT_THAT(*warnings, IsEmpty());
  EXPECT_EQ(p.SerializeAsString(),
            DefaultPartner("fabrikam.com").SerializeAsString());
}

TEST(ApplyPartnerFieldsTest, WarningsOnlyAboutTheValuesGiven) {
  auto warnings_for = [](v1::PartnerFields fields) {
    v1::Partner p = DefaultPartner("fabrikam.com");
    return ApplyPartnerFields(fields, &p).value();
  };
  v1::PartnerFields description;
  description.set_description("x");
  EXPECT_THAT(warnings_for(description), IsEmpty());
  v1::PartnerFields sasl;
  sasl.set_sasl_negotiation(v1::NEGOTIATION_REQUIRED);
  EXPECT_THAT(warnings_for(sasl),
              ElementsAre(std::string(kDialbackInoperativeWarning)));
  v1::PartnerFields dialback;
  dialback.set_support_dialback_negotiation(true);
  EXPECT_THAT(warnings_for(dialback),
              ElementsAre(std::string(kDialbackInoperativeWarning)));

  // Optional TLS warns about TLS and SASL, not about dialback.
  v1::Partner optional = DefaultPartner("contoso.com");
  optional.set_tls_negotiation(v1::NEGOTIATION_OPTIONAL);
  v1::Partner copy = optional;
  EXPECT_THAT(ApplyPartnerFields(dialback, &copy).value(), IsEmpty());
  copy = optional;
  EXPECT_THAT(ApplyPartnerFields(sasl, &copy).value(),
              ElementsAre(std::string(kOptionalTlsWarning)));
}

TEST(ApplyPartnerFieldsTest, AbsentFieldsKeepNonDefaultValues) {
  v1::Partner p = DefaultPartner("fabrikam.com");
  p.set_partner_type(v1::PARTNER_TYPE_FEDERATED);
  p.set_sasl_negotiation(v1::NEGOTIATION_OPTIONAL);
  p.set_proxy_fqdn("relay.fabrikam.com:5269");
  p.set_connection_limit(7);
  p.set_enable_keep_alive(false);
  // Deliberately unsorted: an untouched list is not rewritten.
  p.add_additional_domains("z.fabrikam.net");
  p.add_additional_domains("a.fabrikam.net");
  v1::Partner before = p;
  v1::PartnerFields fields;
  fields.set_description("Fabrikam, Inc.");
  ASSERT_TRUE(ApplyPartnerFields(fields, &p).ok());
  before.set_description("Fabrikam, Inc.");
  EXPECT_EQ(p.SerializeAsString(), before.SerializeAsString());
}

TEST(ApplyPartnerFieldsTest, AppliesEveryScalarField) {
  v1::Partner p = DefaultPartner("fabrikam.com");
  v1::PartnerFields fields;
  fields.set_partner_type(v1::PARTNER_TYPE_FEDERATED);
  fields.set_tls_negotiation(v1::NEGOTIATION_REQUIRED);
  fields.set_sasl_negotiation(v1::NEGOTIATION_NOT_SUPPORTED);
  fields.set_support_dialback_negotiation(true);
  fields.set_enable_keep_alive(false);
  fields.set_proxy_fqdn("Relay.Fabrikam.com:5269");
  fields.set_connection_limit(100000);
  absl::StatusOr<std::vector<std::string>> warnings =
      ApplyPartnerFields(fields, &p);
  ASSERT_TRUE(warnings.ok()) << warnings.status();
  EXPECT_THAT(*warnings, IsEmpty());
  EXPECT_EQ(p.partner_type(), v1::PARTNER_TYPE_FEDERATED);
  EXPECT_EQ(p.sasl_negotiation(), v1::NEGOTIATION_NOT_SUPPORTED);
  EXPECT_FALSE(p.enable_keep_alive());
  EXPECT_EQ(p.proxy_fqdn(), "relay.fabrikam.com:5269");
  EXPECT_EQ(p.connection_limit(), 100000u);
}

TEST(ApplyPartnerFieldsTest, ReplaceNormalisesDedupesAndSorts) {
  v1::Partner p = DefaultPartner("fabrikam.com");
  p.add_additional_domains("old.fabrikam.net");
  v1::PartnerFields fields;
  for (const char* d :
       {"Fabrikam.ORG.", "bücher.example", "fabrikam.org", "a.fabrikam.net"}) {
    fields.mutable_additional_domains()->add_domains(d);
  }
  ASSERT_TRUE(ApplyPartnerFields(fields, &p).ok());
  EXPECT_THAT(Domains(p), ElementsAre("a.fabrikam.net", "fabrikam.org",
                                      "xn--bcher-kva.example"));
}

TEST(ApplyPartnerFieldsTest, EmptyReplacementClearsTheList) {
  v1::Partner p = DefaultPartner("fabrikam.com");
  p.add_additional_domains("fabrikam.net");
  v1::PartnerFields fields;
  fields.mutable_additional_domains();  // Present, empty.
  ASSERT_TRUE(ApplyPartnerFields(fields, &p).ok());
  EXPECT_THAT(p.additional_domains(), IsEmpty());
}

TEST(ApplyPartnerFieldsTest, AddKeepsExistingAndIgnoresDuplicates) {
  v1::Partner p = DefaultPartner("fabrikam.com");
  p.add_additional_domains("fabrikam.net");
  v1::PartnerFields fields;
  fields.add_add_additional_domains("FABRIKAM.NET");
  fields.add_add_additional_domains("fabrikam.de");
  ASSERT_TRUE(ApplyPartnerFields(fields, &p).ok());
  EXPECT_THAT(Domains(p), ElementsAre("fabrikam.de", "fabrikam.net"));
}

TEST(ApplyPartnerFieldsTest, RemoveTakesOutNormalisedDomain) {
  v1::Partner p = DefaultPartner("fabrikam.com");
  p.add_additional_domains("fabrikam.de");
  p.add_additional_domains("fabrikam.net");
  v1::PartnerFields fields;
  fields.add_remove_additional_domains("Fabrikam.NET.");
  ASSERT_TRUE(ApplyPartnerFields(fields, &p).ok());
  EXPECT_THAT(Domains(p), ElementsAre("fabrikam.de"));
}

TEST(ApplyPartnerFieldsTest, ReplaceThenAddThenRemoveInThatOrder) {
  v1::Partner p = DefaultPartner("fabrikam.com");
  p.add_additional_domains("gone.example");
  v1::PartnerFields fields;
  fields.mutable_additional_domains()->add_domains("one.example");
  fields.mutable_additional_domains()->add_domains("four.example");
  fields.add_add_additional_domains("two.example");
  // Removable only because the replacement ran first.
  fields.add_remove_additional_domains("one.example");
  fields.add_add_additional_domains("three.example");
  ASSERT_TRUE(ApplyPartnerFields(fields, &p).ok());
  EXPECT_THAT(Domains(p),
              ElementsAre("four.example", "three.example", "two.example"));
}

TEST(ApplyPartnerFieldsTest, RemovingAnAbsentDomainIsRefusedNamingIt) {
  v1::Partner p = DefaultPartner("fabrikam.com");
  p.add_additional_domains("fabrikam.net");
  v1::PartnerFields fields;
  fields.add_remove_additional_domains("Fabrikam.ORG");
  absl::StatusOr<std::vector<std::string>> got = ApplyPartnerFields(fields, &p);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(got.status().message(),
            "additionalDomains=Fabrikam.ORG: cannot remove fabrikam.org: it "
            "is not one of the partner's additional domains");
  EXPECT_EQ(DetailOf(got.status()).field(), "additionalDomains");
  EXPECT_EQ(DetailOf(got.status()).value(), "Fabrikam.ORG");
}

TEST(ApplyPartnerFieldsTest, BadAddedDomainNamesFieldAndValue) {
  v1::Partner p = DefaultPartner("fabrikam.com");
  v1::PartnerFields fields;
  fields.add_add_additional_domains("a.*.fabrikam.net");
  absl::StatusOr<std::vector<std::string>> got = ApplyPartnerFields(fields, &p);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(),
            "additionalDomains=a.*.fabrikam.net: a wildcard is allowed only as "
            "a whole leading label \"*.\" before a domain of at least two "
            "labels, e.g. *.example.com");
  EXPECT_EQ(DetailOf(got.status()).field(), "additionalDomains");
  EXPECT_TRUE(p.additional_domains().empty());
}

TEST(ApplyPartnerFieldsTest, WildcardIsAddedAndRemovedInCanonicalForm) {
  v1::Partner p = DefaultPartner("fabrikam.com");
  v1::PartnerFields add;
  add.add_add_additional_domains("*.Fabrikam.COM.");
  ASSERT_TRUE(ApplyPartnerFields(add, &p).ok());
  EXPECT_THAT(p.additional_domains(), ElementsAre("*.fabrikam.com"));

  v1::PartnerFields remove;
  remove.add_remove_additional_domains("*.fabrikam.com");
  ASSERT_TRUE(ApplyPartnerFields(remove, &p).ok());
  EXPECT_TRUE(p.additional_domains().empty());
}

TEST(ApplyPartnerFieldsTest, IdentityAsAdditionalDomainIsRefused) {
  v1::Partner p = DefaultPartner("fabrikam.com");
  v1::PartnerFields fields;
  fields.add_add_additional_domains("FABRIKAM.com.");
  absl::StatusOr<std::vector<std::string>> got = ApplyPartnerFields(fields, &p);
  ASSERT_FALSE(got.ok());
  EXPECT_THAT(std::string(got.status().message()),
              HasSubstr("identity cannot also be"));
  EXPECT_EQ(DetailOf(got.status()).field(), "additionalDomains");
  EXPECT_EQ(DetailOf(got.status()).value(), "fabrikam.com");
}

TEST(ApplyPartnerFieldsTest, AtMostAThousandAdditionalDomains) {
  v1::PartnerFields fields;
  for (int i = 0; i < 1000; ++i) {
    fields.mutable_additional_domains()->add_domains("d" + std::to_string(i) +
                                                     ".example");
  }
  v1::Partner p = DefaultPartner("fabrikam.com");
  ASSERT_TRUE(ApplyPartnerFields(fields, &p).ok());
  EXPECT_EQ(p.additional_domains_size(), 1000);
  fields.add_add_additional_domains("one-too-many.example");
  absl::StatusOr<std::vector<std::string>> got = ApplyPartnerFields(fields, &p);
  ASSERT_FALSE(got.ok());
  EXPECT_THAT(std::string(got.status().message()), HasSubstr("at most 1000"));
  EXPECT_EQ(DetailOf(got.status()).field(), "additionalDomains");
}

TEST(ApplyPartnerFieldsTest, DescriptionOf1024CharactersIsAccepted) {
  v1::Partner p = DefaultPartner("fabrikam.com");
  v1::PartnerFields fields;
  std::string text;
  for (int i = 0; i < 1024; ++i) text += "ü";  // 2048 octets.
  fields.set_description(text);
  ASSERT_TRUE(ApplyPartnerFields(fields, &p).ok());
  EXPECT_EQ(p.description(), text);
}

TEST(ApplyPartnerFieldsTest, DescriptionOf1025CharactersIsRefused) {
  v1::Partner p = DefaultPartner("fabrikam.com");
  v1::PartnerFields fields;
  fields.set_description(std::string(1025, 'x'));
  absl::StatusOr<std::vector<std::string>> got = ApplyPartnerFields(fields, &p);
  ASSERT_FALSE(got.ok());
  EXPECT_THAT(std::string(got.status().message()),
              HasSubstr(": at most 1024 characters"));
  EXPECT_EQ(DetailOf(got.status()).field(), "description");
  EXPECT_EQ(DetailOf(got.status()).rule(), "at most 1024 characters");
}

TEST(ApplyPartnerFieldsTest, DescriptionControlCharactersAreRefused) {
  for (const std::string& text :
       {std::string("line\nbreak"), std::string("tab\there"),
        std::string("del\x7f"), std::string("c1\xc2\x85"),
        std::string("nul\0x", 5)}) {
    v1::Partner p = DefaultPartner("fabrikam.com");
    v1::PartnerFields fields;
    fields.set_description(text);
    absl::StatusOr<std::vector<std::string>> got =
        ApplyPartnerFields(fields, &p);
    ASSERT_FALSE(got.ok()) << text;
    EXPECT_THAT(DetailOf(got.status()).rule(), HasSubstr("control characters"));
    EXPECT_EQ(DetailOf(got.status()).field(), "description");
  }
}

TEST(ApplyPartnerFieldsTest, DescriptionBidiControlsAreRefusedAndShown) {
  for (const char* mark :
       {"\u202e", "\u202a", "\u2066", "\u2069", "\u200f", "\u061c"}) {
    v1::Partner p = DefaultPartner("fabrikam.com");
    v1::PartnerFields fields;
    fields.set_description(std::string("abc") + mark + "def");
    absl::StatusOr<std::vector<std::string>> got =
        ApplyPartnerFields(fields, &p);
    ASSERT_FALSE(got.ok()) << mark;
    EXPECT_EQ(DetailOf(got.status()).field(), "description");
    EXPECT_THAT(DetailOf(got.status()).rule(),
                HasSubstr("bidirectional formatting characters"));
    // The message shows the character instead of obeying it.
    EXPECT_THAT(DetailOf(got.status()).value(), HasSubstr("abc<U+"));
    EXPECT_EQ(p.description(), "");
  }
  // Right-to-left text itself is fine.
  v1::Partner p = DefaultPartner("fabrikam.com");
  v1::PartnerFields fields;
  fields.set_description("\u05e9\u05dc\u05d5\u05dd Shalom");
  EXPECT_TRUE(ApplyPartnerFields(fields, &p).ok());
}

TEST(ApplyPartnerFieldsTest, ADomainBothAddedAndRemovedIsRefused) {
  v1::Partner p = DefaultPartner("fabrikam.com");
  p.add_additional_domains("fabrikam.net");
  v1::PartnerFields fields;
  fields.add_add_additional_domains("Fabrikam.ORG");
  fields.add_remove_additional_domains("fabrikam.org.");
  absl::StatusOr<std::vector<std::string>> got = ApplyPartnerFields(fields, &p);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(DetailOf(got.status()).field(), "additionalDomains");
  EXPECT_THAT(DetailOf(got.status()).rule(),
              HasSubstr("fabrikam.org is both added and removed"));
}

TEST(ApplyPartnerFieldsTest, DescriptionInvalidUtf8IsRefused) {
  v1::Partner p = DefaultPartner("fabrikam.com");
  v1::PartnerFields fields;
  fields.set_description("bad \xc3\x28 byte");
  absl::StatusOr<std::vector<std::string>> got = ApplyPartnerFields(fields, &p);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(DetailOf(got.status()).rule(), "not valid UTF-8");
  EXPECT_EQ(DetailOf(got.status()).value(), "bad \\xC3( byte");
}

TEST(ApplyPartnerFieldsTest, UndefinedPartnerTypeIsRefused) {
  v1::Partner p = DefaultPartner("fabrikam.com");
  v1::PartnerFields fields;
  fields.set_partner_type(v1::PARTNER_TYPE_UNSPECIFIED);
  absl::StatusOr<std::vector<std::string>> got = ApplyPartnerFields(fields, &p);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(),
            "partnerType=0: must be Federated, PublicVerified or "
            "PublicUnverified");
  EXPECT_EQ(DetailOf(got.status()).field(), "partnerType");
}

TEST(ApplyPartnerFieldsTest, UndefinedNegotiationValuesAreRefused) {
  v1::Partner p = DefaultPartner("fabrikam.com");
  v1::PartnerFields tls;
  tls.set_tls_negotiation(v1::NEGOTIATION_UNSPECIFIED);
  EXPECT_EQ(DetailOf(ApplyPartnerFields(tls, &p).status()).field(),
            "tlsNegotiation");
  v1::PartnerFields sasl;
  sasl.set_sasl_negotiation(static_cast<v1::Negotiation>(9));
  absl::StatusOr<std::vector<std::string>> got = ApplyPartnerFields(sasl, &p);
  EXPECT_EQ(DetailOf(got.status()).field(), "saslNegotiation");
  EXPECT_EQ(DetailOf(got.status()).value(), "9");
}

TEST(ApplyPartnerFieldsTest, ConnectionLimitAbove100000IsRefused) {
  v1::Partner p = DefaultPartner("fabrikam.com");
  v1::PartnerFields fields;
  fields.set_connection_limit(100001);
  absl::StatusOr<std::vector<std::string>> got = ApplyPartnerFields(fields, &p);
  ASSERT_FALSE(got.ok());
  EXPECT_THAT(std::string(got.status().message()),
              ::testing::StartsWith("connectionLimit=100001: at most 100000"));
  EXPECT_EQ(DetailOf(got.status()).field(), "connectionLimit");
}

TEST(ApplyPartnerFieldsTest, BadProxyFqdnIsRefused) {
  v1::Partner p = DefaultPartner("fabrikam.com");
  v1::PartnerFields fields;
  fields.set_proxy_fqdn("relay.fabrikam.com:70000");
  absl::StatusOr<std::vector<std::string>> got = ApplyPartnerFields(fields, &p);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(DetailOf(got.status()).field(), "proxyFqdn");
  EXPECT_EQ(DetailOf(got.status()).value(), "relay.fabrikam.com:70000");
}

// XEP-0368 direct TLS is never used with a partner whose TLS is
// NotSupported: the combination is refused whichever field comes last.
TEST(ApplyPartnerFieldsTest, TlsProxyFqdnWithTlsNotSupportedIsRefused) {
  v1::Partner p = DefaultPartner("fabrikam.com");
  v1::PartnerFields fields;
  fields.set_tls_negotiation(v1::NEGOTIATION_NOT_SUPPORTED);
  fields.set_sasl_negotiation(v1::NEGOTIATION_NOT_SUPPORTED);
  fields.set_proxy_fqdn("tls://relay.fabrikam.com");
  absl::StatusOr<std::vector<std::string>> got = ApplyPartnerFields(fields, &p);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(DetailOf(got.status()).field(), "proxyFqdn");
  EXPECT_EQ(DetailOf(got.status()).value(), "tls://relay.fabrikam.com");
  EXPECT_THAT(DetailOf(got.status()).rule(),
              ::testing::HasSubstr("tlsNegotiation NotSupported"));

  v1::Partner stored = DefaultPartner("fabrikam.com");
  stored.set_proxy_fqdn("tls://relay.fabrikam.com:5270");
  v1::PartnerFields later;
  later.set_tls_negotiation(v1::NEGOTIATION_NOT_SUPPORTED);
  later.set_sasl_negotiation(v1::NEGOTIATION_NOT_SUPPORTED);
  EXPECT_FALSE(ApplyPartnerFields(later, &stored).ok());
}

TEST(ApplyPartnerFieldsTest, TlsProxyFqdnWithTlsRequiredIsAccepted) {
  v1::Partner p = DefaultPartner("fabrikam.com");
  v1::PartnerFields fields;
  fields.set_proxy_fqdn("tls://relay.fabrikam.com:5270");
  ASSERT_TRUE(ApplyPartnerFields(fields, &p).ok());
  EXPECT_EQ(p.proxy_fqdn(), "tls://relay.fabrikam.com:5270");
}

TEST(ApplyPartnerFieldsTest, EmptyProxyFqdnClearsIt) {
  v1::Partner p = DefaultPartner("fabrikam.com");
  p.set_proxy_fqdn("relay.fabrikam.com");
  v1::PartnerFields fields;
  fields.set_proxy_fqdn("");
  ASSERT_TRUE(ApplyPartnerFields(fields, &p).ok());
  EXPECT_EQ(p.proxy_fqdn(), "");
}

TEST(ApplyPartnerFieldsTest, TlsNotSupportedWithDefaultSaslIsRefused) {
  v1::Partner p = DefaultPartner("fabrikam.com");
  v1::PartnerFields fields;
  fields.set_tls_negotiation(v1::NEGOTIATION_NOT_SUPPORTED);
  absl::StatusOr<std::vector<std::string>> got = ApplyPartnerFields(fields, &p);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().message(),
            "saslNegotiation=Required needs TLS; tlsNegotiation is "
            "NotSupported: SASL requires TLS. Set TLS to Required or "
            "Optional, or set SASL to NotSupported.");
  EXPECT_EQ(DetailOf(got.status()).field(), "saslNegotiation");
}

TEST(ApplyPartnerFieldsTest, OptionalTlsReturnsTheSpecWarning) {
  v1::Partner p = DefaultPartner("fabrikam.com");
  v1::PartnerFields fields;
  fields.set_tls_negotiation(v1::NEGOTIATION_OPTIONAL);
  absl::StatusOr<std::vector<std::string>> got = ApplyPartnerFields(fields, &p);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_THAT(*got, ElementsAre(std::string(kOptionalTlsWarning)));
  EXPECT_EQ(p.tls_negotiation(), v1::NEGOTIATION_OPTIONAL);
}

}  // namespace
}  // namespace xmppfed::policy
