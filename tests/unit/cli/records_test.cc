// Agent messages -> records: the spec's keys, order and spellings.
#include "cli/rpc/records.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/output/json.h"

namespace xmppfed::cli {
namespace {

std::vector<std::string> Keys(const Record& record) {
  std::vector<std::string> keys;
  for (const Field& field : record.fields) keys.push_back(field.key);
  return keys;
}

TEST(RecordsTest, TimestampsAreRfc3339UtcWithMilliseconds) {
  EXPECT_EQ(FormatTimestamp(1795568523, 456789000), "2026-11-25T01:02:03.456Z");
  EXPECT_EQ(FormatTimestamp(0, 0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatTimestamp(google::protobuf::Timestamp()), "");
}

TEST(RecordsTest, PartnerKeysInSpecOrder) {
  EXPECT_THAT(Keys(PartnerRecord(v1::Partner())),
              ::testing::ElementsAre(
                  "identity", "description", "additionalDomains", "partnerType",
                  "tlsNegotiation", "saslNegotiation",
                  "supportDialbackNegotiation", "proxyFqdn", "enableKeepAlive",
                  "connectionLimit", "revision", "createdAt", "modifiedAt"));
}

TEST(RecordsTest, PartnerAsJson) {
  v1::Partner partner;
  partner.set_identity("fabrikam.com");
  partner.set_description("Fabrikam \"EU\"");
  partner.add_additional_domains("fabrikam.de");
  partner.set_partner_type(v1::PARTNER_TYPE_PUBLIC_VERIFIED);
  partner.set_tls_negotiation(v1::NEGOTIATION_REQUIRED);
  partner.set_sasl_negotiation(v1::NEGOTIATION_NOT_SUPPORTED);
  partner.set_support_dialback_negotiation(true);
  partner.set_enable_keep_alive(false);
  partner.set_connection_limit(4);
  partner.set_revision(12);
  partner.mutable_created_at()->set_seconds(1795568523);
  partner.mutable_modified_at()->set_seconds(1795568524);
  partner.mutable_modified_at()->set_nanos(5000000);
  EXPECT_EQ(CompactJson(PartnerRecord(partner)),
            R"({"identity":"fabrikam.com","description":"Fabrikam \"EU\"",)"
            R"("additionalDomains":["fabrikam.de"],)"
            R"("partnerType":"PublicVerified","tlsNegotiation":"Required",)"
            R"("saslNegotiation":"NotSupported",)"
            R"("supportDialbackNegotiation":true,"proxyFqdn":"",)"
            R"("enableKeepAlive":false,"connectionLimit":4,"revision":12,)"
            R"("createdAt":"2026-11-25T01:02:03.000Z",)"
            R"("modifiedAt":"2026-11-25T01:02:04.005Z"})");
}

TEST(RecordsTest, GatewayHasNoPassphrase) {
  v1::GatewayConfig config;
  config.set_connection_limit(1000);
  config.set_max_stanza_size(262144);
  EXPECT_THAT(Keys(GatewayRecord(config)),
              ::testing::ElementsAre(
                  "connectionLimit", "partnerConnectionLimit",
                  "keepAliveInterval", "streamEstablishmentTimeout",
                  "streamInactivityTimeout", "maxStanzaSize",
                  "enableLoggingAllMessageBodies", "revision", "modifiedAt"));
}

TEST(RecordsTest, AgentWithListeners) {
  v1::AgentInfo agent;
  agent.set_version("0.1.0");
  agent.set_uptime_seconds(42);
  agent.set_store("sqlite:/var/lib/xmppfed/xmppfed.db");
  agent.add_local_domains("example.org");
  v1::Listener* api = agent.add_listeners();
  api->set_name("api");
  api->set_address("unix:/run/xmppfed/agent.sock");
  agent.set_pid(7);
  agent.set_partner_count(3);
  agent.set_caller_role(v1::ROLE_OPERATOR);
  EXPECT_EQ(
      CompactJson(AgentRecord(agent)),
      R"({"version":"0.1.0","startedAt":"",)"
      R"("uptimeSeconds":42,"store":"sqlite:/var/lib/xmppfed/xmppfed.db",)"
      R"("localDomains":["example.org"],)"
      R"("listeners":[{"name":"api","address":"unix:/run/xmppfed/agent.sock"}],)"
      R"("pid":7,"partnerCount":3,"callerRole":"Operator"})");
}

TEST(RecordsTest, PartnerTableColumns) {
  ListLayout layout = PartnerListLayout();
  std::vector<std::string> headers;
  for (const TableColumn& column : layout.table_columns) {
    headers.push_back(column.header);
  }
  EXPECT_THAT(headers, ::testing::ElementsAre(
                           "Identity", "PartnerType", "TlsNegotiation",
                           "SaslNegotiation", "Dialback", "AdditionalDomains",
                           "Description"));
  EXPECT_EQ(layout.keys, Keys(PartnerRecord(v1::Partner())));
}

}  // namespace
}  // namespace xmppfed::cli
