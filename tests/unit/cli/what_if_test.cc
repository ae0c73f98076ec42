// The change descriptions of --what-if and of confirmation prompts.
#include "cli/rpc/what_if.h"

#include <gtest/gtest.h>

namespace xmppfed::cli {
namespace {

v1::Partner Stored() {
  v1::Partner partner;
  partner.set_identity("fabrikam.com");
  partner.set_partner_type(v1::PARTNER_TYPE_PUBLIC_UNVERIFIED);
  partner.set_tls_negotiation(v1::NEGOTIATION_REQUIRED);
  partner.set_sasl_negotiation(v1::NEGOTIATION_REQUIRED);
  partner.set_support_dialback_negotiation(true);
  partner.set_enable_keep_alive(true);
  partner.set_revision(3);
  return partner;
}

TEST(WhatIfTest, DescribesEachChangedFieldInTheSpecsWords) {
  v1::Partner after = Stored();
  after.set_description("new");
  after.set_tls_negotiation(v1::NEGOTIATION_OPTIONAL);
  after.set_revision(4);  // read-only fields are not part of the change
  EXPECT_EQ(DescribePartnerChange(Stored(), after),
            "description \"\" -> \"new\"; tlsNegotiation Required -> Optional");
}

TEST(WhatIfTest, ListsBoolsAndNumbers) {
  v1::Partner after = Stored();
  after.add_additional_domains("a.fabrikam.com");
  after.add_additional_domains("b.fabrikam.com");
  after.set_enable_keep_alive(false);
  after.set_connection_limit(5);
  EXPECT_EQ(DescribePartnerChange(Stored(), after),
            "additionalDomains [] -> [a.fabrikam.com, b.fabrikam.com]; "
            "enableKeepAlive true -> false; connectionLimit 0 -> 5");
}

TEST(WhatIfTest, NothingChangedIsEmpty) {
  EXPECT_EQ(DescribePartnerChange(Stored(), Stored()), "");
}

TEST(WhatIfTest, QuotedTextIsEscaped) {
  v1::Partner after = Stored();
  after.set_description("say \"hi\"\n");
  EXPECT_EQ(DescribePartnerChange(Stored(), after),
            R"(description "" -> "say \"hi\"\n")");
}

TEST(WhatIfTest, GatewayNeverShowsThePassphrase) {
  v1::GatewayConfigChange change;
  change.mutable_before()->set_connection_limit(1000);
  change.mutable_config()->set_connection_limit(2000);
  change.set_dialback_passphrase_changed(true);
  EXPECT_EQ(DescribeGatewayChange(change),
            "connectionLimit 1000 -> 2000; dialbackPassphrase changed");
  EXPECT_EQ(DescribeGatewayChange(v1::GatewayConfigChange()), "");
}

TEST(WhatIfTest, ChangeRecordsTypedPerField) {
  v1::Partner after = Stored();
  after.set_description("new");
  after.set_enable_keep_alive(false);
  after.add_additional_domains("x.fabrikam.com");
  v1::Partner before = Stored();
  Records changes = PartnerChangeRecords(&before, after);
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(std::get<std::string>(*changes[0].Find("field")), "description");
  EXPECT_EQ(std::get<std::string>(*changes[0].Find("old")), "");
  EXPECT_EQ(std::get<std::string>(*changes[0].Find("new")), "new");
  EXPECT_EQ(std::get<std::string>(*changes[1].Find("field")),
            "additionalDomains");
  EXPECT_EQ(std::get<Strings>(*changes[1].Find("new")),
            Strings{"x.fabrikam.com"});
  EXPECT_EQ(std::get<bool>(*changes[2].Find("old")), true);
  EXPECT_EQ(std::get<bool>(*changes[2].Find("new")), false);
  EXPECT_TRUE(PartnerChangeRecords(&before, before).empty());
}

TEST(WhatIfTest, ANewPartnerShowsEveryFieldWithoutOld) {
  Records changes = PartnerChangeRecords(nullptr, Stored());
  ASSERT_EQ(changes.size(), 9u);
  for (const Record& change : changes) {
    EXPECT_EQ(change.Find("old"), nullptr);
    EXPECT_NE(change.Find("new"), nullptr);
  }
  EXPECT_EQ(DescribePartnerChanges(nullptr, Stored()),
            "description \"\"; additionalDomains []; partnerType "
            "PublicUnverified; tlsNegotiation Required; saslNegotiation "
            "Required; supportDialbackNegotiation true; proxyFqdn \"\"; "
            "enableKeepAlive true; connectionLimit 0");
  v1::Partner before = Stored();
  v1::Partner after = Stored();
  after.set_connection_limit(9);
  EXPECT_EQ(DescribePartnerChanges(&before, after), "connectionLimit 0 -> 9");
}

}  // namespace
}  // namespace xmppfed::cli
