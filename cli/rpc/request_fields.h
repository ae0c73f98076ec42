// The Invocation's field options as request messages: only the options given
// become present fields, so the agent applies exactly those.
#ifndef XMPPFED_CLI_RPC_REQUEST_FIELDS_H_
#define XMPPFED_CLI_RPC_REQUEST_FIELDS_H_

#include <optional>
#include <string>

#include "cli/invocation.h"
#include "xmppfed/v1/xmppfed.pb.h"

namespace xmppfed::cli {

// Enum options hold the spec's spellings (checked by the front end).
v1::PartnerFields ToPartnerFields(const PartnerFieldOptions& options);

// Everything but the passphrase file, which ReadPassphraseFile resolves.
v1::GatewayConfigFields ToGatewayFields(const GatewayFieldOptions& options);

// The first line of `path` ("-" = stdin) without its line ending; nullopt
// with `error` set when it cannot be read.
std::optional<std::string> ReadPassphraseFile(const std::string& path,
                                              std::string& error);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_RPC_REQUEST_FIELDS_H_
