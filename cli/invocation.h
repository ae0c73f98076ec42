// A parsed command line. Both halves of the CLI parse the same argv into it
// with the same code (cli/front/parse_invocation.h): the front end
// (`xmppfed`, no gRPC) to answer the verbs that need no agent, and
// `xmppfed-rpc` (exec'ed by the front for every other verb) to turn it into
// gRPC calls and output.
//
// Plain C++ only: no protobuf types, so the front never loads protobuf.
#ifndef XMPPFED_CLI_INVOCATION_H_
#define XMPPFED_CLI_INVOCATION_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/output/format.h"

namespace xmppfed::cli {

// Options that may stand before or after the verb.
struct GlobalOptions {
  // Already resolved: --socket, else $XMPPFED_SOCKET, else the default.
  std::string socket_path;
  OutputFormat output = OutputFormat::kTable;
  bool what_if = false;
  bool force = false;
  bool confirm = false;
  bool quiet = false;
};

// The writable partner fields (SPEC §2). Absent means "not given": on
// new-partner the agent applies the default, on set-partner it keeps the
// stored value. Enum values hold the spec's canonical spelling (the front
// checks membership case-insensitively); content rules are the agent's.
struct PartnerFieldOptions {
  std::optional<std::string> description;
  // Replaces the whole list; present-but-empty clears it.
  std::optional<std::vector<std::string>> additional_domains;
  std::vector<std::string> add_additional_domains;
  std::vector<std::string> remove_additional_domains;
  std::optional<std::string> partner_type;
  std::optional<std::string> tls_negotiation;
  std::optional<std::string> sasl_negotiation;
  std::optional<bool> support_dialback_negotiation;
  std::optional<std::string> proxy_fqdn;
  std::optional<bool> enable_keep_alive;
  std::optional<std::uint32_t> connection_limit;

  bool Empty() const {
    return !description && !additional_domains &&
           add_additional_domains.empty() &&
           remove_additional_domains.empty() && !partner_type &&
           !tls_negotiation && !sasl_negotiation &&
           !support_dialback_negotiation && !proxy_fqdn && !enable_keep_alive &&
           !connection_limit;
  }
};

// The writable gateway settings (SPEC §3).
struct GatewayFieldOptions {
  std::optional<std::uint32_t> connection_limit;
  std::optional<std::uint32_t> partner_connection_limit;
  std::optional<std::uint32_t> keep_alive_interval;
  std::optional<std::uint32_t> stream_establishment_timeout;
  std::optional<std::uint32_t> stream_inactivity_timeout;
  std::optional<std::uint32_t> max_stanza_size;
  std::optional<std::uint32_t> stream_output_high_watermark;
  std::optional<std::uint32_t> stream_output_low_watermark;
  std::optional<std::uint32_t> component_connection_limit;
  std::optional<bool> enable_logging_all_message_bodies;
  std::optional<std::uint32_t> audit_retention_days;
  std::optional<std::uint32_t> unauthenticated_stream_limit;
  std::optional<std::uint32_t> unauthenticated_streams_per_address;
  std::optional<std::uint32_t> unauthenticated_stream_timeout;
  std::optional<bool> enable_bidirectional_streams;
  std::optional<std::string> dialback_passphrase;
  // A file whose first line is the passphrase, or "-" for stdin; read by the
  // verb, so the secret never appears in argv.
  std::optional<std::string> dialback_passphrase_file;

  bool Empty() const {
    return !connection_limit && !partner_connection_limit &&
           !keep_alive_interval && !stream_establishment_timeout &&
           !stream_inactivity_timeout && !max_stanza_size &&
           !stream_output_high_watermark && !stream_output_low_watermark &&
           !component_connection_limit && !enable_logging_all_message_bodies &&
           !audit_retention_days && !unauthenticated_stream_limit &&
           !unauthenticated_streams_per_address &&
           !unauthenticated_stream_timeout && !enable_bidirectional_streams &&
           !dialback_passphrase && !dialback_passphrase_file;
  }
};

// import-partners (SPEC §5).
struct ImportOptions {
  // "csv", "ndjson" or "json"; empty: guessed from the file name.
  std::string format;
  bool update = false;
  bool atomic = false;
  // The CSV field delimiter: ',', ';' or '\t' (--delimiter , ; tab).
  char delimiter = ',';
};

// get-session, remove-session (SPEC §5).
struct SessionOptions {
  // remove-session's ID arguments, in order; each is positive.
  std::vector<std::uint64_t> ids;
  // --partner P: a partner's identity; empty when not given.
  std::string partner;
};

// get-audit-log (SPEC §7): the filters as typed; xmppfed-rpc reads the
// times (it has the time library), so a malformed one is its usage error.
struct AuditLogOptions {
  std::string since;
  std::string until;
  std::string identity;
  std::string caller;
  std::string verb;
  // "ok", "refused" or "denied" (canonical spelling); empty: any.
  std::string result;
};

// Pipeline input (SPEC §7): set-partner -, remove-partner -, test-partner -
// and get-partner - read their targets from stdin.
struct PipelineOptions {
  // set-partner --from-input: apply the fields an NDJSON target carries too.
  bool from_input = false;
  // set-partner, remove-partner --atomic: all targets or none.
  bool atomic = false;
};

struct Invocation {
  // The verb as typed, e.g. "set-partner".
  std::string verb;
  GlobalOptions global;
  // Positional identities and --identity values, in order.
  std::vector<std::string> identities;
  // --filter GLOB; empty when not given.
  std::string filter;
  PartnerFieldOptions partner;
  GatewayFieldOptions gateway;
  bool pass_thru = false;
  ImportOptions import;
  SessionOptions session;
  AuditLogOptions audit_log;
  PipelineOptions pipeline;
  // test-partner --timeout; 0 when not given (the agent's default).
  std::uint32_t test_timeout_seconds = 0;
  // Other positional arguments of verbs that take some (the file of
  // import-partners, the shell of completion, the prefix of a completion
  // query).
  std::vector<std::string> args;
};

// The IDENTITY that stands for "the targets on stdin".
inline constexpr char kTargetsFromStdin[] = "-";

// Whether the verb's targets come from stdin (its one IDENTITY is "-").
inline bool TargetsFromStdin(const Invocation& invocation) {
  return invocation.identities.size() == 1 &&
         invocation.identities.front() == kTargetsFromStdin;
}

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_INVOCATION_H_
