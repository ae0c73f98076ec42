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

// get-partner's read-only status object (SPEC §7): exactly its seven keys,
// after the configuration's; unset timestamps print "" as createdAt does;
// liveStreams counts both directions.
TEST(RecordsTest, PartnerStatusObject) {
  v1::Partner partner;
  partner.set_identity("fabrikam.com");
  EXPECT_EQ(PartnerRecord(partner).Find("status"), nullptr)
      << "no status unless the agent sent one (new-partner, set-partner)";

  v1::PartnerFederationStatus* status = partner.mutable_status();
  status->mutable_last_outbound_at()->set_seconds(1795568523);
  status->mutable_last_failure_at()->set_seconds(1795568524);
  status->set_last_failure_direction("Inbound");
  status->set_last_failure_step("auth");
  status->set_last_failure("SASL EXTERNAL: <not-authorized/>");
  status->set_consecutive_failures(3);
  status->set_live_inbound_streams(2);
  status->set_live_outbound_streams(1);
  Record record = PartnerRecord(partner);
  EXPECT_EQ(Keys(record).back(), "status");
  EXPECT_EQ(Keys(record).size(), 14u);
  EXPECT_EQ(CompactJson(PartnerStatusRecord(partner.status())),
            R"({"lastInboundAt":"",)"
            R"("lastOutboundAt":"2026-11-25T01:02:03.000Z",)"
            R"("lastFailureAt":"2026-11-25T01:02:04.000Z",)"
            R"("lastFailureStep":"auth",)"
            R"("lastFailure":"SASL EXTERNAL: <not-authorized/>",)"
            R"("consecutiveFailures":3,"liveStreams":3})");
  EXPECT_NE(CompactJson(record).find(
                R"("modifiedAt":"","status":{"lastInboundAt":"",)"),
            std::string::npos)
      << CompactJson(record);
}

TEST(RecordsTest, PartnerForPeopleSummarisesTheStatus) {
  v1::Partner partner;
  partner.set_identity("fabrikam.com");
  partner.mutable_status()->mutable_last_inbound_at()->set_seconds(1000);
  Record people = PartnerRecordForPeople(partner, 1000 + 125);
  EXPECT_EQ(people.Find("status"), nullptr);
  ASSERT_NE(people.Find("federation"), nullptr);
  EXPECT_EQ(std::get<std::string>(*people.Find("federation")), "ok 2m ago");
  EXPECT_EQ(PartnerRecordFor(OutputFormat::kJson, partner).Find("federation"),
            nullptr);
  EXPECT_NE(PartnerRecordFor(OutputFormat::kJson, partner).Find("status"),
            nullptr);
  EXPECT_EQ(PartnerRecordForPeople(v1::Partner(), 0).Find("federation"),
            nullptr);
}

// The CSV columns are the configuration (an export re-imports as is); the
// Federation column is in -o wide, after Identity, not in the default table
// (already full at 80 columns).
TEST(RecordsTest, PartnerListLayoutPlacesTheFederationColumnInWide) {
  ListLayout layout = PartnerListLayout(/*with_status=*/true);
  EXPECT_THAT(layout.keys, ::testing::Not(::testing::Contains("status")));
  EXPECT_EQ(layout.keys.back(), "modifiedAt");
  ASSERT_GE(layout.wide_columns.size(), 2u);
  EXPECT_EQ(layout.wide_columns[1].key, "federation");
  EXPECT_EQ(layout.wide_columns[1].header, "Federation");
  for (const TableColumn& column : layout.table_columns) {
    EXPECT_NE(column.key, "federation");
  }
  for (const TableColumn& column : PartnerListLayout().wide_columns) {
    EXPECT_NE(column.key, "federation");
  }
}

TEST(RecordsTest, GatewayHasNoPassphrase) {
  v1::GatewayConfig config;
  config.set_connection_limit(1000);
  config.set_max_stanza_size(262144);
  EXPECT_THAT(
      Keys(GatewayRecord(config)),
      ::testing::ElementsAre(
          "connectionLimit", "partnerConnectionLimit", "keepAliveInterval",
          "streamEstablishmentTimeout", "streamInactivityTimeout",
          "maxStanzaSize", "streamOutputHighWatermark",
          "streamOutputLowWatermark", "componentConnectionLimit",
          "enableLoggingAllMessageBodies", "auditRetentionDays",
          "unauthenticatedStreamLimit", "unauthenticatedStreamsPerAddress",
          "unauthenticatedStreamTimeout", "enableBidirectionalStreams",
          "revision", "modifiedAt"));
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
  agent.mutable_store_state()->set_backend("sqlite");
  agent.mutable_store_state()->set_reachable(true);
  EXPECT_EQ(
      CompactJson(AgentRecord(agent)),
      R"({"version":"0.1.0","startedAt":"",)"
      R"("uptimeSeconds":42,"store":"sqlite:/var/lib/xmppfed/xmppfed.db",)"
      R"("localDomains":["example.org"],)"
      R"("listeners":[{"name":"api","address":"unix:/run/xmppfed/agent.sock"}],)"
      R"("pid":7,"partnerCount":3,"callerRole":"Operator",)"
      R"("storeBackend":"sqlite","storeReachable":true})");
}

TEST(RecordsTest, AgentOnAnEtcdStoreNamesTheLeader) {
  v1::AgentInfo agent;
  v1::StoreState* state = agent.mutable_store_state();
  state->set_backend("etcd");
  state->set_reachable(true);
  state->add_endpoints("10.0.0.1:2379");
  v1::StoreMember* follower = state->add_members();
  follower->set_name("m1");
  follower->set_reachable(true);
  v1::StoreMember* leader = state->add_members();
  leader->set_name("m2");
  leader->set_leader(true);
  leader->set_reachable(true);
  leader->add_client_urls("http://10.0.0.2:2379");
  std::string json = CompactJson(AgentRecord(agent));
  EXPECT_NE(json.find(R"("storeLeader":"m2")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("storeEndpoints":["10.0.0.1:2379"])"),
            std::string::npos)
      << json;
  EXPECT_NE(
      json.find(R"({"name":"m2","clientUrls":["http://10.0.0.2:2379"],)"
                R"("reachable":true,"leader":true,"version":"","error":""})"),
      std::string::npos)
      << json;
}

TEST(RecordsTest, NodeHasTheSpecsKeys) {
  v1::Node node;
  node.set_id("n1");
  node.set_host_name("edge1");
  node.set_version("0.1.0");
  node.mutable_started_at()->set_seconds(1'800'000'000);
  v1::Listener* s2s = node.add_listeners();
  s2s->set_name("s2s");
  s2s->set_address("[::]:5269");
  node.set_live_streams(12);
  node.mutable_last_seen()->set_seconds(1'800'000'060);
  EXPECT_EQ(CompactJson(NodeRecord(node)),
            R"({"id":"n1","hostName":"edge1","version":"0.1.0",)"
            R"("startedAt":"2027-01-15T08:00:00.000Z",)"
            R"("listeners":[{"name":"s2s","address":"[::]:5269"}],)"
            R"("liveStreams":12,"lastSeen":"2027-01-15T08:01:00.000Z"})");
  EXPECT_EQ(NodeListLayout().keys, Keys(NodeRecord(v1::Node())));
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
