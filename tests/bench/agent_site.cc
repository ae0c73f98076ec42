#include "tests/bench/agent_site.h"

#include <cstdlib>

#include "tests/support/cli.h"
#include "tests/support/json.h"

namespace xmppfed::bench {

void Die(const std::string& why) { throw BenchFailure(why); }

AgentSite::AgentSite(const SiteOptions& options)
    : dir_("bench-agent"), agent_(dir_.path()), s2s_host_(options.s2s_host) {
  std::string secret_file =
      dir_.WriteFile("component.secret", kComponentSecret);
  std::vector<std::string> args = {
      "--socket",
      agent_.socket_path(),
      "--store",
      agent_.store_uri(),
      "--tls-cert",
      options.certificates.cert,
      "--tls-key",
      options.certificates.key,
      "--ca-file",
      options.trusted_ca,
      "--s2s-listen",
      s2s_host_ + ":" + std::to_string(options.s2s_port),
      "--component-listen",
      "127.0.0.1:0",
      "--component-secret-file",
      secret_file};
  for (const std::string& domain : options.domains) {
    args.insert(args.end(), {"--domain", domain});
  }
  args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());
  agent_.ReplaceArgs(args);
  if (::testing::AssertionResult started = agent_.Start(); !started) {
    Die(std::string("the agent did not start: ") + started.message());
  }
  testing::JsonValue info;
  if (!testing::ParseJson(Cli({"get-agent", "-o", "json"}), &info)) {
    Die("get-agent printed no JSON");
  }
  for (const testing::JsonValue& listener :
       testing::Elements(*testing::Member(info, "listeners"))) {
    std::string name = testing::Str(listener, "name");
    if (name != "s2s" && name != "component") continue;
    std::string address = testing::Str(listener, "address");
    auto port = static_cast<uint16_t>(
        std::stoi(address.substr(address.rfind(':') + 1)));
    (name == "s2s" ? s2s_port_ : component_port_) = port;
  }
  if (s2s_port_ == 0 || component_port_ == 0) {
    Die("the agent reports no s2s or component listener");
  }
  // A benchmark's load comes from one address and opens many streams and
  // components at once: no limit of the defaults may shape it.
  Cli({"set-gateway-config", "--connection-limit", "100000",
       "--partner-connection-limit", "100000", "--component-connection-limit",
       "10000", "--unauthenticated-stream-limit", "100000",
       "--unauthenticated-streams-per-address", "100000"});
}

AgentSite::~AgentSite() { agent_.Terminate(); }

uint16_t AgentSite::MetricsPort() const {
  std::string log = agent_.Log();
  size_t at = log.find(" metrics=127.0.0.1:");
  if (at == std::string::npos) return 0;
  return static_cast<uint16_t>(
      std::atoi(log.c_str() + at + sizeof(" metrics=127.0.0.1:") - 1));
}

std::string AgentSite::Cli(const std::vector<std::string>& args) const {
  testing::CliResult result = testing::RunCli(args, agent_.socket_path());
  if (result.exit_code != 0) {
    Die("xmppfed " + args.front() + " failed: " + result.err);
  }
  return result.out;
}

void AgentSite::AddPartner(const std::string& identity,
                           const std::string& proxy,
                           const std::vector<std::string>& policy,
                           const std::string& additional_domains) const {
  std::vector<std::string> args = {
      "new-partner",    identity,    "--proxy-fqdn", proxy,
      "--partner-type", "Federated", "--quiet"};
  args.insert(args.end(), policy.begin(), policy.end());
  if (!additional_domains.empty()) {
    args.insert(args.end(), {"--additional-domains", additional_domains});
  }
  Cli(args);
}

int AgentSite::AuthenticatedStreams(const std::string& direction) const {
  testing::JsonValue list;
  testing::ParseJson(Cli({"get-session", "-o", "json"}), &list);
  int count = 0;
  for (const testing::JsonValue& session : testing::Elements(list)) {
    if (testing::Str(session, "direction") == direction &&
        !testing::Str(session, "auth").empty()) {
      ++count;
    }
  }
  return count;
}

std::string AgentSite::s2s_address() const {
  return s2s_host_ + ":" + std::to_string(s2s_port_);
}

std::string AgentSite::LogTail(size_t bytes) const {
  std::string log = agent_.Log();
  return log.size() > bytes ? log.substr(log.size() - bytes) : log;
}

const std::vector<std::string>& SaslExternalPolicy() {
  static const std::vector<std::string> policy = {
      "--tls-negotiation",
      "Required",
      "--sasl-negotiation",
      "Required",
      "--support-dialback-negotiation",
      "false"};
  return policy;
}

}  // namespace xmppfed::bench
