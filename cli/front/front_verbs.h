// Verbs the front end answers itself: they need no agent, so they never load
// xmppfed-rpc.
#ifndef XMPPFED_CLI_FRONT_FRONT_VERBS_H_
#define XMPPFED_CLI_FRONT_FRONT_VERBS_H_

#include <optional>
#include <ostream>

#include "cli/invocation.h"

namespace xmppfed::cli {

// The exit code, or nullopt when the verb is not one of the front's own.
std::optional<int> RunFrontVerb(const Invocation& invocation,
                                std::ostream& out);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_FRONT_FRONT_VERBS_H_
