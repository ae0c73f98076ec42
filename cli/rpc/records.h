// The agent's messages as output records, with the spec's JSON keys in the
// spec's order and the spec's enum spellings (SPEC §2, §3, §5).
#ifndef XMPPFED_CLI_RPC_RECORDS_H_
#define XMPPFED_CLI_RPC_RECORDS_H_

#include <cstdint>
#include <string>

#include "cli/output/record.h"
#include "cli/output/writer.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::cli {

// RFC 3339, UTC, milliseconds: "2026-11-25T01:02:03.456Z".
std::string FormatTimestamp(std::int64_t seconds, std::int32_t nanos);
// "" for an unset timestamp (zero).
std::string FormatTimestamp(const google::protobuf::Timestamp& timestamp);

// identity, description, additionalDomains, partnerType, tlsNegotiation,
// saslNegotiation, supportDialbackNegotiation, proxyFqdn, enableKeepAlive,
// connectionLimit, revision, createdAt, modifiedAt; then, when the agent
// sent one (get-partner), the read-only "status" object (PartnerStatusRecord).
Record PartnerRecord(const v1::Partner& partner);

// get-partner's status object (SPEC §7), exactly: lastInboundAt,
// lastOutboundAt, lastFailureAt ("" when never, as every unset timestamp),
// lastFailureStep, lastFailure ("" without a failure), consecutiveFailures,
// liveStreams (inbound + outbound).
Record PartnerStatusRecord(const v1::PartnerFederationStatus& status);

// The table and Format-List form: the configuration's keys, and instead of
// the status object a "federation" summary (FederationSummary) when the
// partner carries a status.
Record PartnerRecordForPeople(const v1::Partner& partner,
                              std::int64_t now_seconds);
// The partner as `format` prints it: PartnerRecordForPeople (as of now) for
// the table forms, PartnerRecord for the data formats.
Record PartnerRecordFor(OutputFormat format, const v1::Partner& partner);

// connectionLimit, partnerConnectionLimit, keepAliveInterval,
// streamEstablishmentTimeout, streamInactivityTimeout, maxStanzaSize,
// streamOutputHighWatermark, streamOutputLowWatermark,
// componentConnectionLimit, enableLoggingAllMessageBodies,
// auditRetentionDays, unauthenticatedStreamLimit,
// unauthenticatedStreamsPerAddress, unauthenticatedStreamTimeout,
// enableBidirectionalStreams, revision, modifiedAt. (The dialback passphrase
// is write-only and never part of it.)
Record GatewayRecord(const v1::GatewayConfig& config);

// version, startedAt, uptimeSeconds, store, localDomains,
// listeners [{name, address}], pid, partnerCount.
Record AgentRecord(const v1::AgentInfo& agent);
// SPEC §7: {"id", "hostName", "version", "startedAt", "listeners",
// "liveStreams", "lastSeen"}.
Record NodeRecord(const v1::Node& node);

// A live stream (SPEC §5): id, direction, localDomain, remoteDomain, partner,
// auth, tlsVersion, tlsCipher, peerAddress, establishedAt, stanzasIn,
// stanzasOut, bytesIn, bytesOut, bidirectional.
Record SessionRecord(const v1::Session& session);

// A partner's federation status: partner, lastInboundAt, lastOutboundAt,
// lastFailureAt, lastFailureDirection, lastFailureStep, lastFailure,
// consecutiveFailures, liveInbound, liveOutbound.
Record FederationStatusRecord(const v1::PartnerFederationStatus& status);

// One step of test-partner: step, result, elapsedMs, detail, diagnosis.
Record TestStepRecord(const v1::TestPartnerStep& step);

// get-partner's list: every configuration key for CSV (an export is
// configuration: the status object is left out); Identity, PartnerType,
// TlsNegotiation, SaslNegotiation, Dialback, AdditionalDomains, Description
// for the table; -o wide adds every other key and, `with_status`, the
// Federation column after Identity (the default table has no room left at 80
// columns).
ListLayout PartnerListLayout(bool with_status = false);

// get-session's list: every key for CSV; Id, Direction, LocalDomain,
// RemoteDomain, Partner, Auth, TlsVersion, EstablishedAt, StanzasIn,
// StanzasOut for the table.
ListLayout SessionListLayout();
ListLayout NodeListLayout();
// get-partner-status's list: every key for CSV; Partner, Failures,
// LastFailureStep, LastFailure, LastOutboundAt, LastInboundAt, LiveIn,
// LiveOut for the table.
ListLayout FederationStatusListLayout();

// test-partner's steps: every key for CSV; Step, Result, Ms, Detail for the
// table (the diagnosis follows the table on stderr).
ListLayout TestStepListLayout();

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_RPC_RECORDS_H_
