// The agent's options (SPEC §6), from the command line and/or a TOML file
// (--config FILE, keys named like the long options, e.g. s2s-listen = "off").
// Command-line values win over the file.
#ifndef XMPPFED_AGENT_CONFIG_AGENT_OPTIONS_H_
#define XMPPFED_AGENT_CONFIG_AGENT_OPTIONS_H_

#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "agent/access/role_grants.h"
#include "agent/config/listen_address.h"
#include "agent/runtime/log.h"
#include "agent/store/store.h"

namespace xmppfed::config {

struct TlsCredential {
  std::string certificate_file;
  std::string key_file;
};

struct AgentOptions {
  std::string socket_path;
  std::string store_uri;
  // Normalised like partner domains (lower case, A-labels), deduplicated.
  std::vector<std::string> local_domains;
  std::vector<TlsCredential> tls_credentials;
  std::string ca_file;  // empty: the system trust store
  ListenAddress s2s_listen;
  // --s2s-tls-listen: XEP-0368 direct TLS, off by default.
  ListenAddress s2s_tls_listen;
  ListenAddress component_listen;
  // --metrics-listen: off by default.
  ListenAddress metrics_listen;
  // Never logged or printed.
  std::string component_secret;
  // --log-level, --log-format, --log-file.
  runtime::LogSettings log;
  // --config: the TOML file read, "" for none.
  std::string config_file;
  // --reload: signal the agent that serves socket_path to reload, instead
  // of running one.
  bool reload = false;
  // Every option that has a value, by its long name without dashes (the
  // TOML key), as given on the command line or in the file: what a reload
  // compares to tell which keys changed.
  std::map<std::string, std::vector<std::string>> given;
  // --admin-groups, --operator-groups, --viewer-groups.
  access::RoleGrants role_grants;
  // --etcd-ca-file, --etcd-cert, --etcd-key, --etcd-user and the password
  // read from --etcd-password-file (never logged or printed).
  store::StoreOptions store_options;
  // --copy-store FROM TO: copy one store into another and exit.
  std::optional<std::pair<std::string, std::string>> copy_store;
};

// Either options to run with, or an exit code: 0 after --help/--version,
// 2 after a usage or validation error (already printed on stderr, naming the
// option, the value and the rule).
struct ParsedAgentOptions {
  std::optional<AgentOptions> options;
  int exit_code = 0;
};

// Help and version text go to `out`, errors to `err`.
ParsedAgentOptions ParseAgentOptions(int argc, const char* const* argv,
                                     std::ostream& out, std::ostream& err);
// On std::cout and std::cerr.
ParsedAgentOptions ParseAgentOptions(int argc, const char* const* argv);

}  // namespace xmppfed::config

#endif  // XMPPFED_AGENT_CONFIG_AGENT_OPTIONS_H_
