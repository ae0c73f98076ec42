// Field-level changes: JSON names, product spellings, only what differs,
// every field on a creation or a removal, the passphrase never by value.
#include "agent/audit/field_changes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace xmppfed::audit {
namespace {

using ::testing::ElementsAre;

// "field: old -> new", "-" for no value.
std::vector<std::string> Texts(const std::vector<v1::AuditChange>& changes) {
  std::vector<std::string> texts;
  for (const v1::AuditChange& change : changes) {
    texts.push_back(change.field() + ": " +
                    (change.has_old_value() ? change.old_value() : "-") +
                    " -> " +
                    (change.has_new_value() ? change.new_value() : "-"));
  }
  return texts;
}

v1::Partner Partner() {
  v1::Partner partner;
  partner.set_identity("contoso.com");
  partner.set_description("Contoso");
  partner.add_additional_domains("contoso.net");
  partner.add_additional_domains("contoso.org");
  partner.set_partner_type(v1::PARTNER_TYPE_FEDERATED);
  partner.set_tls_negotiation(v1::NEGOTIATION_REQUIRED);
  partner.set_sasl_negotiation(v1::NEGOTIATION_OPTIONAL);
  partner.set_support_dialback_negotiation(true);
  partner.set_enable_keep_alive(true);
  partner.set_connection_limit(5);
  partner.set_revision(3);
  return partner;
}

TEST(FieldChangesTest, AnUpdateListsOnlyTheFieldsThatDiffer) {
  v1::Partner before = Partner();
  v1::Partner after = before;
  after.set_tls_negotiation(v1::NEGOTIATION_NOT_SUPPORTED);
  after.clear_additional_domains();
  after.add_additional_domains("contoso.net");
  after.set_support_dialback_negotiation(false);
  after.set_revision(4);  // bookkeeping, not a change
  EXPECT_THAT(Texts(PartnerChanges(&before, &after)),
              ElementsAre("additionalDomains: contoso.net,contoso.org -> "
                          "contoso.net",
                          "tlsNegotiation: Required -> NotSupported",
                          "supportDialbackNegotiation: true -> false"));
}

TEST(FieldChangesTest, ACreationHasEveryFieldWithoutOldValues) {
  v1::Partner created = Partner();
  EXPECT_THAT(
      Texts(PartnerChanges(nullptr, &created)),
      ElementsAre("description: - -> Contoso",
                  "additionalDomains: - -> contoso.net,contoso.org",
                  "partnerType: - -> Federated",
                  "tlsNegotiation: - -> Required",
                  "saslNegotiation: - -> Optional",
                  "supportDialbackNegotiation: - -> true", "proxyFqdn: - -> ",
                  "enableKeepAlive: - -> true", "connectionLimit: - -> 5"));
}

TEST(FieldChangesTest, ARemovalHasEveryFieldWithoutNewValues) {
  v1::Partner removed = Partner();
  std::vector<v1::AuditChange> changes = PartnerChanges(&removed, nullptr);
  ASSERT_EQ(changes.size(), 9u);
  EXPECT_EQ(Texts(changes)[3], "tlsNegotiation: Required -> -");
}

TEST(FieldChangesTest, GatewayChangesAndThePassphraseAsChanged) {
  v1::GatewayConfig before;
  before.set_max_stanza_size(262144);
  before.set_audit_retention_days(365);
  v1::GatewayConfig after = before;
  after.set_enable_logging_all_message_bodies(true);
  after.set_audit_retention_days(30);
  EXPECT_THAT(Texts(GatewayChanges(before, after, true)),
              ElementsAre("enableLoggingAllMessageBodies: false -> true",
                          "auditRetentionDays: 365 -> 30",
                          "dialbackPassphrase: (changed) -> (changed)"));
  EXPECT_THAT(Texts(GatewayChanges(before, before, false)), ElementsAre());
}

TEST(FieldChangesTest, AddChangesPrefixesTheFieldNames) {
  v1::AuditEntry entry;
  v1::Partner removed = Partner();
  AddChanges(PartnerChanges(&removed, nullptr), &entry, "contoso.com.");
  ASSERT_EQ(entry.changes_size(), 9);
  EXPECT_EQ(entry.changes(0).field(), "contoso.com.description");
}

}  // namespace
}  // namespace xmppfed::audit
