// One xmppfed-agent run by a benchmark: its own directory and store, the
// certificate it serves and the CA it trusts, S2S and component listeners
// on loopback (ports picked free, read back with get-agent), generous
// connection limits, and the CLI against it. A failure throws BenchFailure
// (a benchmark's main reports it once its agents are stopped).
#ifndef XMPPFED_TESTS_BENCH_AGENT_SITE_H_
#define XMPPFED_TESTS_BENCH_AGENT_SITE_H_

#include <sys/types.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/agent_process.h"
#include "tests/support/certificates.h"
#include "tests/support/temp_dir.h"

namespace xmppfed::bench {

inline constexpr char kComponentSecret[] = "bench-component-secret";

class BenchFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
[[noreturn]] void Die(const std::string& why);

struct SiteOptions {
  std::vector<std::string> domains;
  testing::Certificates certificates;
  std::string trusted_ca;
  // Where S2S listens (port 0: a free one).
  std::string s2s_host = "127.0.0.1";
  uint16_t s2s_port = 0;
  // More agent options (e.g. {"--metrics-listen", "127.0.0.1:0"}).
  std::vector<std::string> extra_args = {};
};

class AgentSite {
 public:
  explicit AgentSite(const SiteOptions& options);
  ~AgentSite();
  AgentSite(const AgentSite&) = delete;
  AgentSite& operator=(const AgentSite&) = delete;

  // Runs the CLI against this agent; its output, or BenchFailure.
  std::string Cli(const std::vector<std::string>& args) const;
  // new-partner `identity` reached at `proxy` ("host:port"), Federated, with
  // `policy` (e.g. {"--tls-negotiation", "Required", ...}) and
  // `additional_domains` (comma-separated, may be empty).
  void AddPartner(const std::string& identity, const std::string& proxy,
                  const std::vector<std::string>& policy,
                  const std::string& additional_domains = "") const;
  // Inbound and outbound S2S streams that completed authentication.
  int AuthenticatedStreams(const std::string& direction) const;

  pid_t pid() const { return agent_.pid(); }
  uint16_t s2s_port() const { return s2s_port_; }
  uint16_t component_port() const { return component_port_; }
  std::string s2s_address() const;
  // The port of --metrics-listen, from the agent.ready line (0: off).
  uint16_t MetricsPort() const;
  std::string LogTail(size_t bytes = 3000) const;
  const std::string& dir() const { return dir_.path(); }

 private:
  testing::TempDir dir_;
  testing::AgentProcess agent_;
  std::string s2s_host_;
  uint16_t s2s_port_ = 0;
  uint16_t component_port_ = 0;
};

// TLS Required, SASL EXTERNAL Required, no dialback: the policy of the
// relay benchmarks.
const std::vector<std::string>& SaslExternalPolicy();

}  // namespace xmppfed::bench

#endif  // XMPPFED_TESTS_BENCH_AGENT_SITE_H_
