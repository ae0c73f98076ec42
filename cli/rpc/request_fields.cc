#include "cli/rpc/request_fields.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include "xmppfed/v1/spelling.h"

namespace xmppfed::cli {
namespace {

// The front end only passes the spellings, so a failed parse is a bug; the
// field is then left out rather than sent as UNSPECIFIED.
template <typename Enum, typename Parse, typename Set>
void SetEnum(const std::optional<std::string>& value, Parse parse, Set set) {
  if (!value) return;
  if (std::optional<Enum> parsed = parse(*value)) set(*parsed);
}

}  // namespace

v1::PartnerFields ToPartnerFields(const PartnerFieldOptions& options) {
  v1::PartnerFields fields;
  if (options.description) fields.set_description(*options.description);
  if (options.additional_domains) {
    v1::DomainList* list = fields.mutable_additional_domains();
    for (const std::string& domain : *options.additional_domains) {
      list->add_domains(domain);
    }
  }
  for (const std::string& domain : options.add_additional_domains) {
    fields.add_add_additional_domains(domain);
  }
  for (const std::string& domain : options.remove_additional_domains) {
    fields.add_remove_additional_domains(domain);
  }
  SetEnum<v1::PartnerType>(
      options.partner_type, v1::ParsePartnerType,
      [&](v1::PartnerType type) { fields.set_partner_type(type); });
  SetEnum<v1::Negotiation>(
      options.tls_negotiation, v1::ParseNegotiation,
      [&](v1::Negotiation n) { fields.set_tls_negotiation(n); });
  SetEnum<v1::Negotiation>(
      options.sasl_negotiation, v1::ParseNegotiation,
      [&](v1::Negotiation n) { fields.set_sasl_negotiation(n); });
  if (options.support_dialback_negotiation) {
    fields.set_support_dialback_negotiation(
        *options.support_dialback_negotiation);
  }
  if (options.proxy_fqdn) fields.set_proxy_fqdn(*options.proxy_fqdn);
  if (options.enable_keep_alive) {
    fields.set_enable_keep_alive(*options.enable_keep_alive);
  }
  if (options.connection_limit) {
    fields.set_connection_limit(*options.connection_limit);
  }
  return fields;
}

v1::GatewayConfigFields ToGatewayFields(const GatewayFieldOptions& options) {
  v1::GatewayConfigFields fields;
  if (options.connection_limit) {
    fields.set_connection_limit(*options.connection_limit);
  }
  if (options.partner_connection_limit) {
    fields.set_partner_connection_limit(*options.partner_connection_limit);
  }
  if (options.keep_alive_interval) {
    fields.set_keep_alive_interval(*options.keep_alive_interval);
  }
  if (options.stream_establishment_timeout) {
    fields.set_stream_establishment_timeout(
        *options.stream_establishment_timeout);
  }
  if (options.stream_inactivity_timeout) {
    fields.set_stream_inactivity_timeout(*options.stream_inactivity_timeout);
  }
  if (options.max_stanza_size) {
    fields.set_max_stanza_size(*options.max_stanza_size);
  }
  if (options.stream_output_high_watermark) {
    fields.set_stream_output_high_watermark(
        *options.stream_output_high_watermark);
  }
  if (options.stream_output_low_watermark) {
    fields.set_stream_output_low_watermark(
        *options.stream_output_low_watermark);
  }
  if (options.component_connection_limit) {
    fields.set_component_connection_limit(*options.component_connection_limit);
  }
  if (options.audit_retention_days) {
    fields.set_audit_retention_days(*options.audit_retention_days);
  }
  if (options.unauthenticated_stream_limit) {
    fields.set_unauthenticated_stream_limit(
        *options.unauthenticated_stream_limit);
  }
  if (options.unauthenticated_streams_per_address) {
    fields.set_unauthenticated_streams_per_address(
        *options.unauthenticated_streams_per_address);
  }
  if (options.unauthenticated_stream_timeout) {
    fields.set_unauthenticated_stream_timeout(
        *options.unauthenticated_stream_timeout);
  }
  if (options.enable_logging_all_message_bodies) {
    fields.set_enable_logging_all_message_bodies(
        *options.enable_logging_all_message_bodies);
  }
  if (options.enable_bidirectional_streams) {
    fields.set_enable_bidirectional_streams(
        *options.enable_bidirectional_streams);
  }
  if (options.dialback_passphrase) {
    fields.set_dialback_passphrase(*options.dialback_passphrase);
  }
  return fields;
}

std::optional<std::string> ReadPassphraseFile(const std::string& path,
                                              std::string& error) {
  std::string line;
  if (path == "-") {
    if (!std::getline(std::cin, line) && line.empty()) {
      error = "nothing on stdin";
      return std::nullopt;
    }
  } else {
    std::ifstream file(path);
    if (!file) {
      error = std::strerror(errno);
      return std::nullopt;
    }
    std::getline(file, line);
    if (file.bad()) {
      error = std::strerror(errno);
      return std::nullopt;
    }
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace xmppfed::cli
