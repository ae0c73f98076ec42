#include "cli/rpc/records.h"

#include <cstdio>
#include <ctime>

#include "cli/rpc/federation_summary.h"
#include "xmppfed/v1/spelling.h"

namespace xmppfed::cli {
namespace {

Strings ToStrings(const google::protobuf::RepeatedPtrField<std::string>& in) {
  return Strings(in.begin(), in.end());
}

}  // namespace

std::string FormatTimestamp(std::int64_t seconds, std::int32_t nanos) {
  if (nanos < 0 || nanos > 999999999) nanos = 0;
  std::time_t time = static_cast<std::time_t>(seconds);
  std::tm utc{};
  if (::gmtime_r(&time, &utc) == nullptr) return {};
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour,
                utc.tm_min, utc.tm_sec, nanos / 1000000);
  return text;
}

std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp) {
  // Unset (e.g. the would-be partner of new-partner --what-if, settings never
  // changed): "" rather than a misleading 1970 date.
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) return {};
  return FormatTimestamp(timestamp.seconds(), timestamp.nanos());
}

Record PartnerRecord(const v1::Partner& partner) {
  Record record;
  record.AddString("identity", partner.identity())
      .AddString("description", partner.description())
      .AddStrings("additionalDomains", ToStrings(partner.additional_domains()))
      .AddString("partnerType", v1::PartnerTypeName(partner.partner_type()))
      .AddString("tlsNegotiation",
                 v1::NegotiationName(partner.tls_negotiation()))
      .AddString("saslNegotiation",
                 v1::NegotiationName(partner.sasl_negotiation()))
      .AddBool("supportDialbackNegotiation",
               partner.support_dialback_negotiation())
      .AddString("proxyFqdn", partner.proxy_fqdn())
      .AddBool("enableKeepAlive", partner.enable_keep_alive())
      .AddUint("connectionLimit", partner.connection_limit())
      .AddUint("revision", partner.revision())
      .AddString("createdAt", FormatTimestamp(partner.created_at()))
      .AddString("modifiedAt", FormatTimestamp(partner.modified_at()));
  if (partner.has_status()) {
    record.AddNested("status", PartnerStatusRecord(partner.status()));
  }
  return record;
}

Record PartnerStatusRecord(const v1::PartnerFederationStatus& status) {
  auto time = [](bool set, const google::protobuf::Timestamp& at) {
    return set ? FormatTimestamp(at) : std::string();
  };
  Record record;
  record
      .AddString("lastInboundAt",
                 time(status.has_last_inbound_at(), status.last_inbound_at()))
      .AddString("lastOutboundAt",
                 time(status.has_last_outbound_at(), status.last_outbound_at()))
      .AddString("lastFailureAt",
                 time(status.has_last_failure_at(), status.last_failure_at()))
      .AddString("lastFailureStep", status.last_failure_step())
      .AddString("lastFailure", status.last_failure())
      .AddUint("consecutiveFailures", status.consecutive_failures())
      .AddUint("liveStreams", std::uint64_t{status.live_inbound_streams()} +
                                  status.live_outbound_streams());
  return record;
}

Record PartnerRecordForPeople(const v1::Partner& partner,
                              std::int64_t now_seconds) {
  v1::Partner configuration = partner;
  configuration.clear_status();
  Record record = PartnerRecord(configuration);
  if (partner.has_status()) {
    record.AddString("federation",
                     FederationSummary(partner.status(), now_seconds));
  }
  return record;
}

Record PartnerRecordFor(OutputFormat format, const v1::Partner& partner) {
  if (!IsForPeople(format)) return PartnerRecord(partner);
  return PartnerRecordForPeople(partner, std::time(nullptr));
}

Record GatewayRecord(const v1::GatewayConfig& config) {
  Record record;
  record.AddUint("connectionLimit", config.connection_limit())
      .AddUint("partnerConnectionLimit", config.partner_connection_limit())
      .AddUint("keepAliveInterval", config.keep_alive_interval())
      .AddUint("streamEstablishmentTimeout",
               config.stream_establishment_timeout())
      .AddUint("streamInactivityTimeout", config.stream_inactivity_timeout())
      .AddUint("maxStanzaSize", config.max_stanza_size())
      .AddUint("streamOutputHighWatermark",
               config.stream_output_high_watermark())
      .AddUint("streamOutputLowWatermark", config.stream_output_low_watermark())
      .AddUint("componentConnectionLimit", config.component_connection_limit())
      .AddBool("enableLoggingAllMessageBodies",
               config.enable_logging_all_message_bodies())
      .AddUint("auditRetentionDays", config.audit_retention_days())
      .AddUint("unauthenticatedStreamLimit",
               config.unauthenticated_stream_limit())
      .AddUint("unauthenticatedStreamsPerAddress",
               config.unauthenticated_streams_per_address())
      .AddUint("unauthenticatedStreamTimeout",
               config.unauthenticated_stream_timeout())
      .AddBool("enableBidirectionalStreams",
               config.enable_bidirectional_streams())
      .AddUint("revision", config.revision())
      .AddString("modifiedAt", FormatTimestamp(config.modified_at()));
  return record;
}

namespace {

Records ListenerRecords(
    const google::protobuf::RepeatedPtrField<v1::Listener>& in) {
  Records listeners;
  for (const v1::Listener& listener : in) {
    listeners.push_back(Record()
                            .AddString("name", listener.name())
                            .AddString("address", listener.address()));
  }
  return listeners;
}

// The store's state, flat in get-agent's object: "storeBackend" and
// "storeReachable" always; "storeUnreachableSince" and "storeError" while it
// is unreachable; for etcd its endpoints, prefix, cluster, leader, revision
// and members (a list).
void AddStoreState(const v1::StoreState& state, Record* record) {
  Records members;
  std::string leader;
  for (const v1::StoreMember& member : state.members()) {
    if (member.leader()) leader = member.name();
    members.push_back(
        Record()
            .AddString("name", member.name())
            .AddStrings("clientUrls", ToStrings(member.client_urls()))
            .AddBool("reachable", member.reachable())
            .AddBool("leader", member.leader())
            .AddString("version", member.version())
            .AddString("error", member.error()));
  }
  record->AddString("storeBackend", state.backend())
      .AddBool("storeReachable", state.reachable());
  if (!state.reachable()) {
    record
        ->AddString("storeUnreachableSince",
                    FormatTimestamp(state.unreachable_since()))
        .AddString("storeError", state.error());
  }
  // A cluster's shape only where there is one: SQLite has none.
  if (state.backend() != "etcd") return;
  record->AddStrings("storeEndpoints", ToStrings(state.endpoints()))
      .AddString("storePrefix", state.prefix())
      .AddString("storeCluster", state.cluster_id())
      .AddString("storeLeader", leader)
      .AddInt("storeRevision", state.revision())
      .AddRecords("storeMembers", std::move(members));
}

}  // namespace

Record AgentRecord(const v1::AgentInfo& agent) {
  Records listeners = ListenerRecords(agent.listeners());
  Record record;
  record.AddString("version", agent.version())
      .AddString("startedAt", FormatTimestamp(agent.started_at()))
      .AddUint("uptimeSeconds", agent.uptime_seconds())
      .AddString("store", agent.store())
      .AddStrings("localDomains", ToStrings(agent.local_domains()))
      .AddRecords("listeners", std::move(listeners))
      .AddUint("pid", agent.pid())
      .AddUint("partnerCount", agent.partner_count())
      .AddString("callerRole", v1::RoleName(agent.caller_role()));
  AddStoreState(agent.store_state(), &record);
  return record;
}

Record NodeRecord(const v1::Node& node) {
  Record record;
  record.AddString("id", node.id())
      .AddString("hostName", node.host_name())
      .AddString("version", node.version())
      .AddString("startedAt", FormatTimestamp(node.started_at()))
      .AddRecords("listeners", ListenerRecords(node.listeners()))
      .AddUint("liveStreams", node.live_streams())
      .AddString("lastSeen", FormatTimestamp(node.last_seen()));
  return record;
}

Record SessionRecord(const v1::Session& session) {
  Record record;
  record.AddUint("id", session.id())
      .AddString("direction", session.direction())
      .AddString("localDomain", session.local_domain())
      .AddString("remoteDomain", session.remote_domain())
      .AddString("partner", session.partner())
      .AddString("auth", session.auth())
      .AddString("tlsVersion", session.tls_version())
      .AddString("tlsCipher", session.tls_cipher())
      .AddString("peerAddress", session.peer_address())
      .AddString("establishedAt", FormatTimestamp(session.established_at()))
      .AddUint("stanzasIn", session.stanzas_in())
      .AddUint("stanzasOut", session.stanzas_out())
      .AddUint("bytesIn", session.bytes_in())
      .AddUint("bytesOut", session.bytes_out())
      .AddBool("bidirectional", session.bidirectional())
      .AddBool("directTls", session.direct_tls());
  return record;
}

Record FederationStatusRecord(const v1::PartnerFederationStatus& status) {
  Record record;
  record.AddString("partner", status.partner())
      .AddString("lastInboundAt",
                 status.has_last_inbound_at()
                     ? FormatTimestamp(status.last_inbound_at())
                     : "")
      .AddString("lastOutboundAt",
                 status.has_last_outbound_at()
                     ? FormatTimestamp(status.last_outbound_at())
                     : "")
      .AddString("lastFailureAt",
                 status.has_last_failure_at()
                     ? FormatTimestamp(status.last_failure_at())
                     : "")
      .AddString("lastFailureDirection", status.last_failure_direction())
      .AddString("lastFailureStep", status.last_failure_step())
      .AddString("lastFailure", status.last_failure())
      .AddUint("consecutiveFailures", status.consecutive_failures())
      .AddUint("liveInbound", status.live_inbound_streams())
      .AddUint("liveOutbound", status.live_outbound_streams());
  return record;
}

Record TestStepRecord(const v1::TestPartnerStep& step) {
  Record record;
  record.AddString("step", step.step())
      .AddString("result", step.result())
      .AddUint("elapsedMs", step.elapsed_ms())
      .AddString("detail", step.detail())
      .AddString("diagnosis", step.diagnosis());
  return record;
}

ListLayout PartnerListLayout(bool with_status) {
  ListLayout layout;
  for (const Field& field : PartnerRecord(v1::Partner()).fields) {
    layout.keys.push_back(field.key);
  }
  layout.table_columns = {
      {"identity", "Identity", 0},
      {"partnerType", "PartnerType", 0},
      {"tlsNegotiation", "TlsNegotiation", 0},
      {"saslNegotiation", "SaslNegotiation", 0},
      {"supportDialbackNegotiation", "Dialback", 0},
      {"additionalDomains", "AdditionalDomains", 40},
      {"description", "Description", 40},
  };
  layout.wide_columns = {
      {"identity", "Identity", 0},
      {"partnerType", "PartnerType", 0},
      {"tlsNegotiation", "TlsNegotiation", 0},
      {"saslNegotiation", "SaslNegotiation", 0},
      {"supportDialbackNegotiation", "Dialback", 0},
      {"proxyFqdn", "ProxyFqdn", 0},
      {"enableKeepAlive", "KeepAlive", 0},
      {"connectionLimit", "ConnectionLimit", 0},
      {"revision", "Revision", 0},
      {"modifiedAt", "ModifiedAt", 0},
      {"additionalDomains", "AdditionalDomains", 0},
      {"description", "Description", 0},
  };
  if (with_status) {
    layout.wide_columns.insert(layout.wide_columns.begin() + 1,
                               {"federation", "Federation", 0});
  }
  return layout;
}

ListLayout SessionListLayout() {
  ListLayout layout;
  for (const Field& field : SessionRecord(v1::Session()).fields) {
    layout.keys.push_back(field.key);
  }
  layout.table_columns = {
      {"id", "Id", 0},
      {"direction", "Direction", 0},
      {"bidirectional", "Bidi", 0},
      {"localDomain", "LocalDomain", 0},
      {"remoteDomain", "RemoteDomain", 0},
      {"partner", "Partner", 0},
      {"auth", "Auth", 0},
      {"tlsVersion", "TlsVersion", 0},
      {"establishedAt", "EstablishedAt", 0},
      {"stanzasIn", "StanzasIn", 0},
      {"stanzasOut", "StanzasOut", 0},
  };
  for (const std::string& key : layout.keys) {
    layout.wide_columns.push_back({key, "", 0});
  }
  return layout;
}

ListLayout FederationStatusListLayout() {
  ListLayout layout;
  for (const Field& field :
       FederationStatusRecord(v1::PartnerFederationStatus()).fields) {
    layout.keys.push_back(field.key);
  }
  layout.table_columns = {
      {"partner", "Partner", 0},
      {"consecutiveFailures", "Failures", 0},
      {"lastFailureStep", "LastFailureStep", 0},
      {"lastFailure", "LastFailure", 50},
      {"lastOutboundAt", "LastOutboundAt", 0},
      {"lastInboundAt", "LastInboundAt", 0},
      {"liveInbound", "LiveIn", 0},
      {"liveOutbound", "LiveOut", 0},
  };
  for (const std::string& key : layout.keys) {
    layout.wide_columns.push_back({key, "", 0});
  }
  return layout;
}

ListLayout NodeListLayout() {
  ListLayout layout;
  for (const Field& field : NodeRecord(v1::Node()).fields) {
    layout.keys.push_back(field.key);
  }
  layout.table_columns = {
      {"id", "Id", 0},
      {"hostName", "HostName", 0},
      {"version", "Version", 0},
      {"startedAt", "StartedAt", 0},
      {"liveStreams", "LiveStreams", 0},
      {"lastSeen", "LastSeen", 0},
  };
  return layout;
}

ListLayout TestStepListLayout() {
  ListLayout layout;
  for (const Field& field : TestStepRecord(v1::TestPartnerStep()).fields) {
    layout.keys.push_back(field.key);
  }
  layout.table_columns = {
      {"step", "Step", 0},
      {"result", "Result", 0},
      {"elapsedMs", "Ms", 0},
      {"detail", "Detail", 0},
  };
  return layout;
}

}  // namespace xmppfed::cli
