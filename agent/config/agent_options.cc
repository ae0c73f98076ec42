#include "agent/config/agent_options.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <span>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "agent/config/toml_file.h"
#include "agent/policy/domain.h"
#include "agent/runtime/default_paths.h"

namespace xmppfed::config {
namespace {

struct RawOptions {
  std::string socket;
  std::string store;
  std::vector<std::string> domains;
  std::vector<std::string> tls_certs;
  std::vector<std::string> tls_keys;
  std::string ca_file;
  std::string s2s_listen = "[::]:5269";
  std::string s2s_tls_listen = "off";
  std::string component_listen = "127.0.0.1:5347";
  std::string component_secret;
  std::string component_secret_file;
  std::string metrics_listen = "off";
  std::string log_level = "info";
  std::string log_format = "text";
  std::string log_file;
  std::string config;
  bool reload = false;
  std::string admin_groups = access::kDefaultAdminGroups;
  std::string operator_groups = access::kDefaultOperatorGroups;
  std::string viewer_groups = access::kDefaultViewerGroups;
  std::string etcd_ca_file;
  std::string etcd_cert;
  std::string etcd_key;
  std::string etcd_user;
  std::string etcd_password_file;
  std::vector<std::string> copy_store;
};

absl::Status CheckReadable(std::string_view option, const std::string& path) {
  if (::access(path.c_str(), R_OK) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", std::string(option), "=", path,
                     ": the file does not exist or is not readable"));
  }
  return absl::OkStatus();
}

// The first line of the file `option` names (a secret: kept out of ps).
absl::StatusOr<std::string> ReadSecretFile(std::string_view option,
                                           const std::string& path) {
  if (absl::Status readable = CheckReadable(option, path); !readable.ok()) {
    return readable;
  }
  std::ifstream file(path);
  std::string secret;
  std::getline(file, secret);
  if (!secret.empty() && secret.back() == '\r') secret.pop_back();
  if (secret.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", std::string(option), "=", path, ": the first line is empty"));
  }
  return secret;
}

absl::Status ResolveEtcdAccess(const RawOptions& raw,
                               store::StoreOptions* access) {
  for (auto [option, path] : {std::pair<const char*, const std::string*>{
                                  "etcd-ca-file", &raw.etcd_ca_file},
                              {"etcd-cert", &raw.etcd_cert},
                              {"etcd-key", &raw.etcd_key}}) {
    if (path->empty()) continue;
    if (absl::Status readable = CheckReadable(option, *path); !readable.ok()) {
      return readable;
    }
  }
  if (raw.etcd_cert.empty() != raw.etcd_key.empty()) {
    return absl::InvalidArgumentError(
        "--etcd-cert and --etcd-key: give both (a client certificate and its "
        "key) or neither");
  }
  if (raw.etcd_user.empty() != raw.etcd_password_file.empty()) {
    return absl::InvalidArgumentError(
        "--etcd-user and --etcd-password-file: give both or neither");
  }
  access->etcd_ca_file = raw.etcd_ca_file;
  access->etcd_cert = raw.etcd_cert;
  access->etcd_key = raw.etcd_key;
  access->etcd_user = raw.etcd_user;
  if (!raw.etcd_password_file.empty()) {
    absl::StatusOr<std::string> password =
        ReadSecretFile("etcd-password-file", raw.etcd_password_file);
    if (!password.ok()) return password.status();
    access->etcd_password = *std::move(password);
  }
  return absl::OkStatus();
}

// The command line, then the file, then the environment, then the default.
std::string SocketPath(const RawOptions& raw) {
  if (!raw.socket.empty()) return raw.socket;
  const char* socket_env = std::getenv("XMPPFED_SOCKET");
  if (socket_env != nullptr && *socket_env != '\0') return socket_env;
  return runtime::DefaultSocketPath();
}

absl::StatusOr<AgentOptions> Resolve(const RawOptions& raw) {
  AgentOptions options;
  options.socket_path = SocketPath(raw);
  options.store_uri =
      raw.store.empty() ? runtime::DefaultStoreUri() : raw.store;
  for (const std::string& domain : raw.domains) {
    absl::StatusOr<std::string> normal =
        policy::NormalizeDomain("domain", domain);
    if (!normal.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--", normal.status().message()));
    }
    if (std::find(options.local_domains.begin(), options.local_domains.end(),
                  *normal) == options.local_domains.end()) {
      options.local_domains.push_back(*normal);
    }
  }
  if (raw.tls_certs.size() != raw.tls_keys.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--tls-cert/--tls-key: given ", raw.tls_certs.size(),
                     " certificate(s) and ", raw.tls_keys.size(),
                     " key(s); they come in pairs"));
  }
  for (size_t i = 0; i < raw.tls_certs.size(); ++i) {
    if (absl::Status s = CheckReadable("tls-cert", raw.tls_certs[i]); !s.ok())
      return s;
    if (absl::Status s = CheckReadable("tls-key", raw.tls_keys[i]); !s.ok())
      return s;
    options.tls_credentials.push_back({raw.tls_certs[i], raw.tls_keys[i]});
  }
  if (!raw.ca_file.empty()) {
    if (absl::Status s = CheckReadable("ca-file", raw.ca_file); !s.ok())
      return s;
    options.ca_file = raw.ca_file;
  }
  absl::StatusOr<ListenAddress> s2s =
      ParseListenAddress("s2s-listen", raw.s2s_listen);
  if (!s2s.ok()) return s2s.status();
  absl::StatusOr<ListenAddress> component =
      ParseListenAddress("component-listen", raw.component_listen);
  if (!component.ok()) return component.status();
  options.s2s_listen = *s2s;
  absl::StatusOr<ListenAddress> s2s_tls =
      ParseListenAddress("s2s-tls-listen", raw.s2s_tls_listen);
  if (!s2s_tls.ok()) return s2s_tls.status();
  options.s2s_tls_listen = *s2s_tls;
  if (!options.s2s_tls_listen.off && options.tls_credentials.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--s2s-tls-listen=", options.s2s_tls_listen.ToString(),
        ": direct TLS needs a certificate (--tls-cert and --tls-key)"));
  }
  options.component_listen = *component;
  absl::StatusOr<ListenAddress> metrics =
      ParseListenAddress("metrics-listen", raw.metrics_listen);
  if (!metrics.ok()) return metrics.status();
  options.metrics_listen = *metrics;
  if (!raw.component_secret.empty() && !raw.component_secret_file.empty()) {
    return absl::InvalidArgumentError(
        "--component-secret and --component-secret-file: give one, not both");
  }
  if (!raw.component_secret_file.empty()) {
    absl::StatusOr<std::string> secret =
        ReadSecretFile("component-secret-file", raw.component_secret_file);
    if (!secret.ok()) return secret.status();
    options.component_secret = *secret;
  } else {
    options.component_secret = raw.component_secret;
  }
  absl::StatusOr<access::RoleGrants> grants = access::RoleGrants::Parse(
      raw.admin_groups, raw.operator_groups, raw.viewer_groups);
  if (!grants.ok()) return grants.status();
  options.role_grants = *std::move(grants);
  if (absl::Status etcd = ResolveEtcdAccess(raw, &options.store_options);
      !etcd.ok()) {
    return etcd;
  }
  if (!raw.copy_store.empty()) {
    // A copy runs no listener: the component secret is not needed.
    options.copy_store.emplace(raw.copy_store[0], raw.copy_store[1]);
    return options;
  }
  if (!options.component_listen.off && options.component_secret.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--component-listen=", options.component_listen.ToString(),
        ": the component listener needs --component-secret-file (or "
        "--component-secret)"));
  }
  options.log.level = *runtime::ParseLogLevel(raw.log_level);
  options.log.format = *runtime::ParseLogFormat(raw.log_format);
  options.log.file = raw.log_file;
  options.config_file = raw.config;
  options.reload = raw.reload;
  return options;
}

// A validator accepting exactly one of `names`.
CLI::Validator OneOf(std::span<const std::string_view> names) {
  std::string accepted;
  for (std::string_view name : names) {
    absl::StrAppend(&accepted, accepted.empty() ? "" : ", ",
                    absl::string_view(name.data(), name.size()));
  }
  return CLI::Validator(
      [names, accepted](std::string& value) -> std::string {
        for (std::string_view name : names) {
          if (value == name) return {};
        }
        return absl::StrCat("'", value, "' is not one of ", accepted);
      },
      "");
}

// Options that are not configuration keys: they say what to do with the
// configuration, or print something and exit.
bool IsCommandOption(const std::string& name) {
  return name == "help" || name == "version" || name == "config" ||
         name == "reload";
}

std::string LongName(const CLI::Option* option) {
  const std::vector<std::string>& names = option->get_lnames();
  return names.empty() ? std::string() : names.front();
}

std::string KeyList(const CLI::App& app) {
  std::vector<std::string> keys;
  for (const CLI::Option* option : app.get_options()) {
    std::string name = LongName(option);
    if (!name.empty() && !IsCommandOption(name)) keys.push_back(name);
  }
  return absl::StrJoin(keys, ", ");
}

// CLI11's message without its "--name: " prefix.
std::string WithoutOptionName(const std::string& message,
                              const std::string& name) {
  std::string prefix = "--" + name + ": ";
  return message.rfind(prefix, 0) == 0 ? message.substr(prefix.size())
                                       : message;
}

// Sets every option the command line left unset from the file's keys. The
// lines of the keys applied are recorded in `lines`, for errors found later.
absl::Status ApplyConfigFile(CLI::App& app, const std::string& path,
                             std::map<std::string, int>& lines) {
  absl::StatusOr<std::vector<TomlEntry>> entries = ReadTomlFile(path);
  if (!entries.ok()) return entries.status();
  for (const TomlEntry& entry : *entries) {
    std::string where = absl::StrCat(path, ":", entry.line, ": ");
    CLI::Option* option = IsCommandOption(entry.key)
                              ? nullptr
                              : app.get_option_no_throw("--" + entry.key);
    if (option == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, "unknown key '", entry.key,
          "'; the keys are the long options without their dashes: ",
          KeyList(app)));
    }
    if (option->count() > 0) continue;  // the command line wins
    if (entry.is_array && option->get_items_expected_max() <= 1) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, entry.key, " takes one value, not an array"));
    }
    try {
      option->add_result(entry.values);
      option->run_callback();
    } catch (const CLI::Error& error) {
      std::string shown =
          absl::StrCat("\"", absl::StrJoin(entry.values, "\", \""), "\"");
      if (entry.is_array) shown = absl::StrCat("[", shown, "]");
      return absl::InvalidArgumentError(
          absl::StrCat(where, entry.key, " = ", shown, ": ",
                       WithoutOptionName(error.what(), entry.key)));
    }
    lines[entry.key] = entry.line;
  }
  return absl::OkStatus();
}

// The options that have a value, by TOML key.
std::map<std::string, std::vector<std::string>> GivenOptions(
    const CLI::App& app) {
  std::map<std::string, std::vector<std::string>> given;
  for (const CLI::Option* option : app.get_options()) {
    std::string name = LongName(option);
    if (name.empty() || IsCommandOption(name) || option->count() == 0) {
      continue;
    }
    given[name] = option->results();
  }
  return given;
}

// A message of Resolve names the option first ("--domain=x: ..."); when the
// value came from the file, the file and line come first.
std::string LocateError(std::string message, const std::string& path,
                        const std::map<std::string, int>& lines) {
  if (message.rfind("--", 0) != 0) return message;
  std::size_t end =
      message.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-", 2);
  auto line = lines.find(message.substr(2, end - 2));
  if (line == lines.end()) return message;
  return absl::StrCat(path, ":", line->second, ": ", message);
}

}  // namespace

ParsedAgentOptions ParseAgentOptions(int argc, const char* const* argv,
                                     std::ostream& out, std::ostream& err) {
  CLI::App app{
      "xmppfed-agent: the XMPP federation edge and its management API.\n"
      "Every option can also come from a TOML file given with --config.",
      "xmppfed-agent"};
  app.set_version_flag("--version",
                       std::string("xmppfed-agent ") + XMPPFED_VERSION);
  RawOptions raw;
  // Read by ApplyConfigFile, which names the file and line of a mistake; a
  // mistyped key is refused: it names an option the operator believes set.
  app.add_option("--config", raw.config, "Read options from this TOML file")
      ->type_name("FILE");
  app.add_flag("--reload", raw.reload,
               "Tell the agent serving --socket to re-read its configuration "
               "and reopen its log (as SIGHUP does), then exit");
  app.add_option(
      "--socket", raw.socket,
      "gRPC API socket (default $XMPPFED_SOCKET, else "
      "$XDG_RUNTIME_DIR/xmppfed/agent.sock, root: /run/xmppfed/agent.sock)");
  app.add_option("--store", raw.store,
                 "sqlite:PATH or etcd://HOST:PORT/PREFIX (default "
                 "sqlite:$XDG_STATE_HOME/xmppfed/xmppfed.db)");
  app.add_option("--domain", raw.domains,
                 "A local domain this edge serves (repeatable)");
  app.add_option("--tls-cert", raw.tls_certs,
                 "PEM certificate chain (repeatable, paired with --tls-key)");
  app.add_option("--tls-key", raw.tls_keys, "PEM private key (repeatable)");
  app.add_option("--ca-file", raw.ca_file,
                 "Trust anchors for partners' certificates");
  app.add_option("--s2s-listen", raw.s2s_listen, "S2S address, or off")
      ->capture_default_str();
  app.add_option("--s2s-tls-listen", raw.s2s_tls_listen,
                 "S2S direct TLS (XEP-0368) address, or off")
      ->capture_default_str();
  app.add_option("--component-listen", raw.component_listen,
                 "XEP-0114 component address, or off")
      ->capture_default_str();
  app.add_option("--metrics-listen", raw.metrics_listen,
                 "HTTP address serving /metrics (Prometheus), /healthz and "
                 "/readyz, or off")
      ->capture_default_str();
  app.add_option(
      "--component-secret", raw.component_secret,
      "Component shared secret (visible in ps; prefer the file form)");
  app.add_option("--component-secret-file", raw.component_secret_file,
                 "File whose first line is the component shared secret");
  app.add_option("--etcd-ca-file", raw.etcd_ca_file,
                 "etcd store: trust anchors for the members' certificates "
                 "(TLS to etcd)");
  app.add_option("--etcd-cert", raw.etcd_cert,
                 "etcd store: client certificate (PEM) for mutual TLS");
  app.add_option("--etcd-key", raw.etcd_key,
                 "etcd store: the client certificate's key (PEM)");
  app.add_option("--etcd-user", raw.etcd_user,
                 "etcd store: user for etcd's authentication");
  app.add_option("--etcd-password-file", raw.etcd_password_file,
                 "etcd store: file whose first line is --etcd-user's password");
  app.add_option("--copy-store", raw.copy_store,
                 "Copy everything from store FROM into the empty store TO "
                 "(URIs as --store), then exit")
      ->expected(2)
      ->type_name("FROM TO");
  app.add_option("--log-level", raw.log_level,
                 "Lowest level logged: debug, info, notice, warning or error")
      ->check(OneOf(runtime::kLogLevelNames))
      ->capture_default_str();
  app.add_option("--log-format", raw.log_format,
                 "One line per event as text, or as a JSON object")
      ->check(OneOf(runtime::kLogFormatNames))
      ->capture_default_str();
  app.add_option("--log-file", raw.log_file,
                 "Log to this file instead of standard error (reopened on "
                 "SIGHUP)");
  app.add_option("--admin-groups", raw.admin_groups,
                 "Groups (and user:NAME) whose members are Administrator")
      ->capture_default_str();
  app.add_option("--operator-groups", raw.operator_groups,
                 "Groups (and user:NAME) whose members are Operator")
      ->capture_default_str();
  app.add_option("--viewer-groups", raw.viewer_groups,
                 "Groups (and user:NAME) whose members are Viewer")
      ->capture_default_str();
  ParsedAgentOptions parsed;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    int code = app.exit(error, out, err);
    parsed.exit_code = code == 0 ? 0 : 2;
    return parsed;
  }
  std::map<std::string, int> file_lines;
  if (!raw.config.empty()) {
    if (absl::Status applied = ApplyConfigFile(app, raw.config, file_lines);
        !applied.ok()) {
      err << "xmppfed-agent: " << applied.message() << "\n";
      parsed.exit_code = 2;
      return parsed;
    }
  }
  if (raw.reload && raw.config.empty()) {
    // Only the socket matters: there is no file to check first.
    parsed.options.emplace();
    parsed.options->socket_path = SocketPath(raw);
    parsed.options->reload = true;
    return parsed;
  }
  absl::StatusOr<AgentOptions> options = Resolve(raw);
  if (!options.ok()) {
    err << "xmppfed-agent: "
        << LocateError(std::string(options.status().message()), raw.config,
                       file_lines)
        << "\n";
    parsed.exit_code = 2;
    return parsed;
  }
  options->given = GivenOptions(app);
  parsed.options = std::move(*options);
  return parsed;
}

ParsedAgentOptions ParseAgentOptions(int argc, const char* const* argv) {
  return ParseAgentOptions(argc, argv, std::cout, std::cerr);
}

}  // namespace xmppfed::config
