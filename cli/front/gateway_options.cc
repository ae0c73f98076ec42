// The gateway settings' options, exactly the fields of SPEC §3.
#include <cstdint>
#include <optional>
#include <string>

#include "cli/front/help_format.h"
#include "cli/front/option_values.h"
#include "cli/front/verb_options.h"

namespace xmppfed::cli {
namespace {

void AddUint32(CLI::App& verb, const std::string& name,
               std::optional<std::uint32_t>& target, const std::string& help) {
  verb.add_option_function<std::string>(
          name, [&target](const std::string& v) { target = ToUint32(v); }, help)
      ->transform(Uint32Value())
      ->type_name("N");
}

void AddBool(CLI::App& verb, const std::string& name,
             std::optional<bool>& target, const std::string& help) {
  verb.add_option_function<std::string>(
          name, [&target](const std::string& v) { target = ToBool(v); }, help)
      ->transform(TrueOrFalse())
      ->type_name("true|false");
}

// An old spelling of `current`: the same value, in no help group.
void AddHiddenAlias(CLI::App& verb, const std::string& name,
                    std::optional<std::uint32_t>& target,
                    const std::string& current) {
  AddUint32(verb, name, target, "the former name of " + current);
  verb.get_option(name)->group("")->excludes(verb.get_option(current));
}

}  // namespace

void AddGatewayVerbs(CLI::App& app, Invocation& inv) {
  CLI::App* get = app.add_subcommand("get-gateway-config",
                                     "Show the global gateway settings.");
  SetExamples(*get, {"xmppfed get-gateway-config",
                     "xmppfed get-gateway-config -o json | jq .maxStanzaSize"});

  CLI::App* set = app.add_subcommand("set-gateway-config",
                                     "Change only the given gateway settings.");
  GatewayFieldOptions& fields = inv.gateway;
  AddUint32(*set, "--connection-limit", fields.connection_limit,
            "S2S streams at once, all partners together (default 1000)");
  AddUint32(*set, "--partner-connection-limit", fields.partner_connection_limit,
            "streams per partner unless the partner sets its own (default 20)");
  AddUint32(*set, "--keep-alive-interval", fields.keep_alive_interval,
            "seconds between whitespace keep-alives (default 300)");
  AddUint32(*set, "--stream-establishment-timeout",
            fields.stream_establishment_timeout,
            "seconds a stream may take to negotiate (default 60)");
  AddUint32(*set, "--stream-inactivity-timeout",
            fields.stream_inactivity_timeout,
            "seconds before an idle stream is closed (default 600)");
  AddUint32(*set, "--max-stanza-size", fields.max_stanza_size,
            "largest stanza in bytes (default 262144)");
  AddUint32(*set, "--stream-output-high-watermark",
            fields.stream_output_high_watermark,
            "bytes of queued output above which a stream's feeders are "
            "paused (default 1048576)");
  AddUint32(*set, "--stream-output-low-watermark",
            fields.stream_output_low_watermark,
            "bytes of queued output at which they resume (default 262144)");
  AddUint32(*set, "--component-connection-limit",
            fields.component_connection_limit,
            "component connections at once (default 100)");
  AddUint32(*set, "--audit-retention-days", fields.audit_retention_days,
            "days the audit log keeps an entry (default 365)");
  AddUint32(*set, "--unauthenticated-stream-limit",
            fields.unauthenticated_stream_limit,
            "inbound streams still negotiating at once; over it the oldest "
            "is closed (default 100)");
  AddUint32(*set, "--unauthenticated-streams-per-address",
            fields.unauthenticated_streams_per_address,
            "of those, from one source address (default 10)");
  AddUint32(*set, "--unauthenticated-stream-timeout",
            fields.unauthenticated_stream_timeout,
            "seconds an inbound stream may stay unauthenticated (default 30)");
  // The spellings of the release that introduced these limits, hidden
  // (neither in help nor completed) so that scripts written against it keep
  // working.
  AddHiddenAlias(*set, "--unauthenticated-connection-limit",
                 fields.unauthenticated_stream_limit,
                 "--unauthenticated-stream-limit");
  AddHiddenAlias(*set, "--per-address-connection-limit",
                 fields.unauthenticated_streams_per_address,
                 "--unauthenticated-streams-per-address");
  AddBool(*set, "--enable-logging-all-message-bodies",
          fields.enable_logging_all_message_bodies,
          "let message bodies reach the logs (default false)");
  AddBool(*set, "--enable-bidirectional-streams",
          fields.enable_bidirectional_streams,
          "offer and request XEP-0288 bidirectional streams (default true)");
  CLI::Option* passphrase =
      set->add_option_function<std::string>(
             "--dialback-passphrase",
             [&fields](const std::string& v) {
               fields.dialback_passphrase = v;
             },
             "the dialback key secret (visible in ps; prefer the -file form)")
          ->check(Utf8Text())
          ->type_name("SECRET");
  set->add_option_function<std::string>(
         "--dialback-passphrase-file",
         [&fields](const std::string& v) {
           fields.dialback_passphrase_file = v;
         },
         "read the dialback key secret from the first line of FILE (- for "
         "stdin)")
      ->type_name("FILE|-")
      ->excludes(passphrase);
  set->add_flag("--pass-thru", inv.pass_thru, "print the settings afterwards");
  SetExamples(*set, {"xmppfed set-gateway-config --partner-connection-limit 40",
                     "xmppfed set-gateway-config --dialback-passphrase-file "
                     "/etc/xmppfed/dialback"});
  set->callback([&inv] {
    if (inv.gateway.Empty()) {
      throw CLI::ValidationError(
          "set-gateway-config",
          "nothing to change: give at least one setting (see 'xmppfed "
          "set-gateway-config --help')");
    }
  });
}

}  // namespace xmppfed::cli
