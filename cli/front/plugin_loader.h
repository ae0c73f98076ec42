// Loads xmppfed-cli-rpc.so, the gRPC half of the CLI, and hands it the
// invocation. Only verbs that talk to the agent come here, so only they pay
// for loading gRPC.
#ifndef XMPPFED_CLI_FRONT_PLUGIN_LOADER_H_
#define XMPPFED_CLI_FRONT_PLUGIN_LOADER_H_

#include <string>
#include <vector>

#include "cli/invocation.h"

namespace xmppfed::cli {

// Where the plugin is looked for, in order: the directory of the running
// executable (so a build tree works as is), then the install directory.
std::vector<std::string> PluginCandidates();

// Runs the verb in the plugin and returns its exit code; exit 1 with a
// message naming the places searched when the plugin is missing, cannot be
// loaded or lacks the entry point.
int RunInPlugin(const Invocation& invocation);

}  // namespace xmppfed::cli

#endif  // XMPPFED_CLI_FRONT_PLUGIN_LOADER_H_
