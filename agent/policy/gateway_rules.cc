#include "agent/policy/gateway_rules.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "agent/errors/field_error.h"
#include "agent/policy/text.h"

namespace xmppfed::policy {
namespace {

constexpr std::string_view kPassphraseField = "dialbackPassphrase";
// The only value ever shown for the passphrase.
constexpr std::string_view kHidden = "(hidden)";

absl::Status CheckRange(std::string_view field, uint32_t value, Range range,
                        const char* unit) {
  if (value >= range.min && value <= range.max) return absl::OkStatus();
  return errors::InvalidField(
      field, absl::StrCat(value),
      absl::StrCat("must be from ", range.min, " to ", range.max, unit));
}

absl::Status CheckPassphrase(const std::string& passphrase) {
  auto refuse = [](std::string_view rule) {
    return errors::InvalidField(kPassphraseField, kHidden, rule);
  };
  std::optional<std::vector<char32_t>> points = text::DecodeUtf8(passphrase);
  if (!points) return refuse("not valid UTF-8");
  if (std::any_of(points->begin(), points->end(), text::IsControl)) {
    return refuse("control characters are not allowed");
  }
  if (points->size() < kMinPassphraseCharacters) {
    return refuse(
        absl::StrCat("at least ", kMinPassphraseCharacters, " characters"));
  }
  if (points->size() > kMaxPassphraseCharacters) {
    return refuse(
        absl::StrCat("at most ", kMaxPassphraseCharacters, " characters"));
  }
  return absl::OkStatus();
}

}  // namespace

v1::GatewayConfig DefaultGatewayConfig() {
  v1::GatewayConfig config;
  config.set_connection_limit(1000);
  config.set_partner_connection_limit(20);
  config.set_keep_alive_interval(300);
  config.set_stream_establishment_timeout(60);
  config.set_stream_inactivity_timeout(600);
  config.set_max_stanza_size(262144);
  config.set_stream_output_high_watermark(1024 * 1024);
  config.set_stream_output_low_watermark(256 * 1024);
  config.set_component_connection_limit(100);
  config.set_enable_logging_all_message_bodies(false);
  config.set_audit_retention_days(kDefaultAuditRetentionDays);
  config.set_unauthenticated_stream_limit(100);
  config.set_unauthenticated_streams_per_address(10);
  config.set_unauthenticated_stream_timeout(
      kDefaultUnauthenticatedStreamTimeout);
  config.set_enable_bidirectional_streams(true);
  config.set_revision(0);
  return config;
}

v1::GatewayConfig WithGatewayDefaults(v1::GatewayConfig stored) {
  const v1::GatewayConfig defaults = DefaultGatewayConfig();
  if (stored.connection_limit() == 0) {
    stored.set_connection_limit(defaults.connection_limit());
  }
  if (stored.partner_connection_limit() == 0) {
    stored.set_partner_connection_limit(defaults.partner_connection_limit());
  }
  if (stored.keep_alive_interval() == 0) {
    stored.set_keep_alive_interval(defaults.keep_alive_interval());
  }
  if (stored.stream_establishment_timeout() == 0) {
    stored.set_stream_establishment_timeout(
        defaults.stream_establishment_timeout());
  }
  if (stored.stream_inactivity_timeout() == 0) {
    stored.set_stream_inactivity_timeout(defaults.stream_inactivity_timeout());
  }
  if (stored.max_stanza_size() == 0) {
    stored.set_max_stanza_size(defaults.max_stanza_size());
  }
  // Stored before flow control existed: both marks at once (a low mark of
  // 0 is a valid setting).
  if (stored.stream_output_high_watermark() == 0) {
    stored.set_stream_output_high_watermark(
        defaults.stream_output_high_watermark());
    stored.set_stream_output_low_watermark(
        defaults.stream_output_low_watermark());
  }
  if (stored.component_connection_limit() == 0) {
    stored.set_component_connection_limit(
        defaults.component_connection_limit());
  }
  if (stored.audit_retention_days() == 0) {
    stored.set_audit_retention_days(defaults.audit_retention_days());
  }
  if (stored.unauthenticated_stream_limit() == 0) {
    stored.set_unauthenticated_stream_limit(
        defaults.unauthenticated_stream_limit());
  }
  if (stored.unauthenticated_streams_per_address() == 0) {
    stored.set_unauthenticated_streams_per_address(
        defaults.unauthenticated_streams_per_address());
  }
  if (stored.unauthenticated_stream_timeout() == 0) {
    stored.set_unauthenticated_stream_timeout(
        defaults.unauthenticated_stream_timeout());
  }
  // Absent (not false): stored before the setting existed.
  if (!stored.has_enable_bidirectional_streams()) {
    stored.set_enable_bidirectional_streams(
        defaults.enable_bidirectional_streams());
  }
  return stored;
}

absl::StatusOr<std::vector<std::string>> ApplyGatewayFields(
    const v1::GatewayConfigFields& fields, v1::GatewayConfig* config,
    std::optional<std::string>* new_passphrase) {
  if (fields.has_connection_limit()) {
    if (absl::Status s =
            CheckRange("connectionLimit", fields.connection_limit(),
                       kConnectionLimitRange, " connections");
        !s.ok()) {
      return s;
    }
    config->set_connection_limit(fields.connection_limit());
  }
  if (fields.has_partner_connection_limit()) {
    if (absl::Status s = CheckRange("partnerConnectionLimit",
                                    fields.partner_connection_limit(),
                                    kConnectionLimitRange, " connections");
        !s.ok()) {
      return s;
    }
    config->set_partner_connection_limit(fields.partner_connection_limit());
  }
  if (fields.has_keep_alive_interval()) {
    if (absl::Status s =
            CheckRange("keepAliveInterval", fields.keep_alive_interval(),
                       kKeepAliveIntervalRange, " seconds");
        !s.ok()) {
      return s;
    }
    config->set_keep_alive_interval(fields.keep_alive_interval());
  }
  if (fields.has_stream_establishment_timeout()) {
    if (absl::Status s = CheckRange(
            "streamEstablishmentTimeout", fields.stream_establishment_timeout(),
            kStreamEstablishmentTimeoutRange, " seconds");
        !s.ok()) {
      return s;
    }
    config->set_stream_establishment_timeout(
        fields.stream_establishment_timeout());
  }
  if (fields.has_stream_inactivity_timeout()) {
    if (absl::Status s = CheckRange("streamInactivityTimeout",
                                    fields.stream_inactivity_timeout(),
                                    kStreamInactivityTimeoutRange, " seconds");
        !s.ok()) {
      return s;
    }
    config->set_stream_inactivity_timeout(fields.stream_inactivity_timeout());
  }
  if (fields.has_max_stanza_size()) {
    if (absl::Status s = CheckRange("maxStanzaSize", fields.max_stanza_size(),
                                    kMaxStanzaSizeRange, " bytes");
        !s.ok()) {
      return s;
    }
    config->set_max_stanza_size(fields.max_stanza_size());
  }
  if (fields.has_stream_output_high_watermark()) {
    if (absl::Status s = CheckRange("streamOutputHighWatermark",
                                    fields.stream_output_high_watermark(),
                                    kHighWatermarkRange, " bytes");
        !s.ok()) {
      return s;
    }
    config->set_stream_output_high_watermark(
        fields.stream_output_high_watermark());
  }
  if (fields.has_stream_output_low_watermark()) {
    if (absl::Status s = CheckRange("streamOutputLowWatermark",
                                    fields.stream_output_low_watermark(),
                                    kLowWatermarkRange, " bytes");
        !s.ok()) {
      return s;
    }
    config->set_stream_output_low_watermark(
        fields.stream_output_low_watermark());
  }
  if (fields.has_component_connection_limit()) {
    if (absl::Status s = CheckRange(
            "componentConnectionLimit", fields.component_connection_limit(),
            kComponentConnectionLimitRange, " connections");
        !s.ok()) {
      return s;
    }
    config->set_component_connection_limit(fields.component_connection_limit());
  }
  if (fields.has_enable_logging_all_message_bodies()) {
    config->set_enable_logging_all_message_bodies(
        fields.enable_logging_all_message_bodies());
  }
  if (fields.has_enable_bidirectional_streams()) {
    config->set_enable_bidirectional_streams(
        fields.enable_bidirectional_streams());
  }
  if (fields.has_audit_retention_days()) {
    if (absl::Status s =
            CheckRange("auditRetentionDays", fields.audit_retention_days(),
                       kAuditRetentionDaysRange, " days");
        !s.ok()) {
      return s;
    }
    config->set_audit_retention_days(fields.audit_retention_days());
  }
  if (fields.has_unauthenticated_stream_limit()) {
    if (absl::Status s = CheckRange(
            "unauthenticatedStreamLimit", fields.unauthenticated_stream_limit(),
            kUnauthenticatedStreamLimitRange, " streams");
        !s.ok()) {
      return s;
    }
    config->set_unauthenticated_stream_limit(
        fields.unauthenticated_stream_limit());
  }
  if (fields.has_unauthenticated_streams_per_address()) {
    if (absl::Status s =
            CheckRange("unauthenticatedStreamsPerAddress",
                       fields.unauthenticated_streams_per_address(),
                       kUnauthenticatedStreamsPerAddressRange, " streams");
        !s.ok()) {
      return s;
    }
    config->set_unauthenticated_streams_per_address(
        fields.unauthenticated_streams_per_address());
  }
  if (fields.has_unauthenticated_stream_timeout()) {
    if (absl::Status s =
            CheckRange("unauthenticatedStreamTimeout",
                       fields.unauthenticated_stream_timeout(),
                       kUnauthenticatedStreamTimeoutRange, " seconds");
        !s.ok()) {
      return s;
    }
    config->set_unauthenticated_stream_timeout(
        fields.unauthenticated_stream_timeout());
  }

  // Cross-field rule on the result: a field given now is the one to blame,
  // otherwise the lowered connectionLimit is.
  if (config->partner_connection_limit() > config->connection_limit()) {
    bool blame_partner =
        fields.has_partner_connection_limit() || !fields.has_connection_limit();
    std::string rule = absl::StrCat(
        "partnerConnectionLimit (", config->partner_connection_limit(),
        ") must not exceed connectionLimit (", config->connection_limit(), ")");
    return blame_partner
               ? errors::InvalidField(
                     "partnerConnectionLimit",
                     absl::StrCat(config->partner_connection_limit()), rule)
               : errors::InvalidField("connectionLimit",
                                      absl::StrCat(config->connection_limit()),
                                      rule);
  }

  // The same for the watermarks: the low one must stay below the high one.
  if (config->stream_output_low_watermark() >=
      config->stream_output_high_watermark()) {
    bool blame_low = fields.has_stream_output_low_watermark() ||
                     !fields.has_stream_output_high_watermark();
    std::string rule = absl::StrCat(
        "streamOutputLowWatermark (", config->stream_output_low_watermark(),
        ") must be below streamOutputHighWatermark (",
        config->stream_output_high_watermark(), ")");
    return blame_low
               ? errors::InvalidField(
                     "streamOutputLowWatermark",
                     absl::StrCat(config->stream_output_low_watermark()), rule)
               : errors::InvalidField(
                     "streamOutputHighWatermark",
                     absl::StrCat(config->stream_output_high_watermark()),
                     rule);
  }

  if (fields.has_dialback_passphrase()) {
    if (absl::Status s = CheckPassphrase(fields.dialback_passphrase());
        !s.ok()) {
      return s;
    }
    if (new_passphrase == nullptr) {
      return absl::InternalError(
          "dialbackPassphrase was given to a caller that cannot store it");
    }
    *new_passphrase = fields.dialback_passphrase();
  }

  std::vector<std::string> warnings;
  if (config->keep_alive_interval() >= config->stream_inactivity_timeout()) {
    warnings.push_back(absl::StrCat(
        "keepAliveInterval (", config->keep_alive_interval(),
        " s) is not shorter than streamInactivityTimeout (",
        config->stream_inactivity_timeout(),
        " s): idle streams will time out before a keep-alive is sent."));
  }
  if (fields.has_enable_logging_all_message_bodies() &&
      fields.enable_logging_all_message_bodies()) {
    warnings.push_back(
        "enableLoggingAllMessageBodies is true: every message body will be "
        "written to the agent's log.");
  }
  return warnings;
}

}  // namespace xmppfed::policy
